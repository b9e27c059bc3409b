"""Every table of plans-api, imported so that Alembic sees the whole metadata. Nothing else
imports this module: code imports each table from its own package."""

from plans_api.db import Base
from plans_api.file.models import StoredFile
from plans_api.identity.models import ApiClient, LoginFailure, RefreshToken, User
from plans_api.official.models import Official, OfficialVersion
from plans_api.outbox import IdempotencyRecord, OutboxEvent, OutboxSequence
from plans_api.period.models import Holiday, HolidayYear, Period, PeriodRuleSet
from plans_api.plan.models import Milestone, Plan, Target
from plans_api.report.models import ProgressReport, ReportRevision
from plans_api.task.models import Task, TaskUnit, TaskUnitGroup
from plans_api.unit.models import ReformArea, Unit, UnitSuccession

__all__ = [
    "ApiClient",
    "Base",
    "Holiday",
    "HolidayYear",
    "IdempotencyRecord",
    "LoginFailure",
    "Milestone",
    "Official",
    "OfficialVersion",
    "OutboxEvent",
    "OutboxSequence",
    "Period",
    "PeriodRuleSet",
    "Plan",
    "ProgressReport",
    "ReformArea",
    "RefreshToken",
    "ReportRevision",
    "StoredFile",
    "Target",
    "Task",
    "TaskUnit",
    "TaskUnitGroup",
    "Unit",
    "UnitSuccession",
    "User",
]
