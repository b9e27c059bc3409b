"""Every table of plans-api, imported so that Alembic sees the whole metadata."""

from fastapi import Depends

from plans_api.db import Base
from plans_api.file.models import StoredFile
from plans_api.identity.models import ApiClient, LoginFailure, RefreshToken, User
from plans_api.official.models import Official, OfficialVersion
from plans_api.period.models import Period, PeriodRuleSet
from plans_api.plan.models import Milestone, Plan, Target
from plans_api.report.models import ProgressReport, ReportRevision
from plans_api.task.models import Task, TaskUnit, TaskUnitGroup
from plans_api.unit.models import ReformArea, Unit, UnitSuccession
from shared.idempotency import IdempotencyRecordMixin, idempotent
from shared.outbox import Outbox, OutboxEventMixin, OutboxSequenceMixin


class OutboxEvent(OutboxEventMixin, Base):
    pass


class OutboxSequence(OutboxSequenceMixin, Base):
    pass


class IdempotencyRecord(IdempotencyRecordMixin, Base):
    __tablename__ = "idempotency_keys"


OUTBOX = Outbox("plans-api", OutboxEvent, OutboxSequence)
IDEMPOTENT = Depends(idempotent(IdempotencyRecord))

__all__ = [
    "IDEMPOTENT",
    "OUTBOX",
    "ApiClient",
    "Base",
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
