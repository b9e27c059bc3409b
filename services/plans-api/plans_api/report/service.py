"""Progress reports: who may report for which unit and period, the deadline lock, the revision
trail, and the task's progress after every change."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from plans_api.access import caller_reach, unit_reach
from plans_api.file.exceptions import UnknownFile
from plans_api.outbox import OUTBOX
from plans_api.period.calendar import is_late
from plans_api.period.models import Period
from plans_api.period.service import period_scope
from plans_api.plan.models import Plan
from plans_api.plan.repository import manual_targets
from plans_api.report import repository as repo
from plans_api.report.evidence import visible_file
from plans_api.report.exceptions import (
    FigureOutOfRange,
    PeriodNotForPlan,
    PeriodOtherProvince,
    PeriodOutsidePlanYears,
    ReportExists,
    ReportLocked,
    ReportNotFound,
    UnitForbidden,
    UnitNotOnTask,
    UnitRequired,
    UnknownPeriod,
    UnknownTarget,
)
from plans_api.report.models import ProgressReport, ReportRevision
from plans_api.report.schemas import Evidence, FileEvidence, ReportCreate, ReportRead, ReportUpdate
from plans_api.task.models import Task
from plans_api.task.repository import involves
from plans_api.task.service import record_progress
from shared.auth.roles import ADMIN_ROLES
from shared.auth.tokens import Principal
from shared.clock import Clock
from shared.etag import ensure_fresh
from shared.events.plans import ReportData
from shared.outbox import add_event

# Who may still change a report once the period's unit deadline has passed.
AFTER_DEADLINE_ROLES = ADMIN_ROLES


async def visible_unit_ids(
    session: AsyncSession, principal: Principal, clock: Clock
) -> tuple[UUID, ...] | None:
    """The units whose reports the caller sees (None: all)."""
    reach = await caller_reach(session, principal, clock.today())
    return None if reach is None else reach.unit_ids


async def get_visible_report(
    session: AsyncSession, principal: Principal, report_id: UUID, clock: Clock
) -> ProgressReport:
    """The report if the caller may read it: another unit's report is not found (404)."""
    report = await session.get(ProgressReport, report_id)
    if report is None:
        raise ReportNotFound()
    units = await visible_unit_ids(session, principal, clock)
    if units is not None and report.unit_id not in units:
        raise ReportNotFound()
    return report


def _actor(principal: Principal) -> UUID | None:
    try:
        return UUID(principal.subject) if principal.kind == "user" else None
    except ValueError:
        return None


def _snapshot(report: ProgressReport) -> dict[str, Any]:
    return {
        "status": report.status,
        "percent": None if report.percent is None else float(report.percent),
        "narrative": report.narrative,
        "figures": report.figures,
        "evidence": report.evidence,
    }


async def _reporting_unit(
    session: AsyncSession, principal: Principal, task: Task, unit_id: UUID | None, clock: Clock
) -> UUID:
    """The unit reporting: one the caller speaks for, on the task directly or through a group."""
    unit_id = unit_id or principal.unit_id
    if unit_id is None:
        raise UnitRequired()
    units = await visible_unit_ids(session, principal, clock)
    if units is not None and unit_id not in units:
        raise UnitForbidden()
    reach = await unit_reach(session, unit_id, clock.today(), subtree=False)
    query = select(Task.id).where(Task.id == task.id, involves(reach))
    if await session.scalar(query) is None:
        raise UnitNotOnTask()
    return unit_id


async def _period(session: AsyncSession, plan: Plan, period_id: UUID) -> Period:
    period = await session.get(Period, period_id)
    if period is None:
        raise UnknownPeriod()
    if period.province_id != plan.province_id:
        raise PeriodOtherProvince()
    if period.plan_id != await period_scope(session, plan):
        raise PeriodNotForPlan()
    if not plan.start_year <= period.year <= plan.end_year:
        raise PeriodOutsidePlanYears()
    return period


async def _figures(
    session: AsyncSession, plan_id: UUID, figures: dict[UUID, float]
) -> dict[str, float]:
    """Values for the plan's manual targets only; percentages 0..100, nothing negative."""
    targets = await manual_targets(session, plan_id) if figures else {}
    for target_id, value in figures.items():
        target = targets.get(target_id)
        if target is None:
            raise UnknownTarget(str(target_id))
        if value < 0 or (target.measure == "percent" and value > 100):
            raise FigureOutOfRange(str(target_id))
    return {str(target_id): value for target_id, value in figures.items()}


async def _evidence(
    session: AsyncSession, principal: Principal, items: list[Evidence], clock: Clock
) -> list[dict[str, Any]]:
    """The evidence as stored: links as given; files the reporter may see, with their name,
    size and type (files never change, so the copy stays true)."""
    stored = []
    for index, item in enumerate(items):
        entry = item.model_dump(mode="json")
        if isinstance(item, FileEvidence):
            found = await visible_file(session, principal, item.file_id, clock)
            if found is None:
                raise UnknownFile(index)
            entry["title"] = item.title or found.name
            entry |= {"name": found.name, "size": found.size, "content_type": found.content_type}
        stored.append(entry)
    return stored


async def _record(
    session: AsyncSession,
    report: ProgressReport,
    principal: Principal,
    before: dict[str, Any] | None,
    moment: datetime,
    late: bool,
) -> ReportRead:
    """The revision of the change, the task's new progress, the event; returns the report."""
    session.add(
        ReportRevision(
            report_id=report.id,
            changed_by=_actor(principal),
            changed_at=moment,
            late=late,
            before=before,
            after=_snapshot(report),
        )
    )
    await session.flush()
    await record_progress(
        session, report.task_id, *await repo.task_progress(session, report.task_id)
    )
    read = ReportRead.model_validate(report)
    verb = "submitted" if before is None else "updated"
    await add_event(
        session,
        OUTBOX,
        f"report.{verb}",
        aggregate_type="report",
        aggregate_id=report.id,
        data=ReportData.model_validate(read),
    )
    return read


async def create_report(
    session: AsyncSession,
    principal: Principal,
    task: Task,
    data: ReportCreate,
    clock: Clock,
) -> ReportRead:
    plan = await session.get_one(Plan, task.plan_id)
    unit_id = await _reporting_unit(session, principal, task, data.unit_id, clock)
    period = await _period(session, plan, data.period_id)
    existing = await repo.report_for(session, task.id, unit_id, period.id)
    if existing is not None:
        raise ReportExists(existing.id)
    now = clock.now()
    report = ProgressReport(
        task_id=task.id,
        unit_id=unit_id,
        period_id=period.id,
        status=data.status,
        percent=100 if data.percent is None and data.status == "done" else data.percent,
        narrative=data.narrative,
        figures=await _figures(session, plan.id, data.figures),
        evidence=await _evidence(session, principal, data.evidence, clock),
        submitted_by=_actor(principal),
        submitted_at=now,
        updated_at=now,
        late=is_late(now, period.unit_due_on),
    )
    try:
        async with session.begin_nested():
            session.add(report)
    except IntegrityError:  # the same report posted at the same moment
        raise ReportExists(report.id) from None
    return await _record(session, report, principal, None, now, report.late)


async def update_report(
    session: AsyncSession,
    principal: Principal,
    report: ProgressReport,
    data: ReportUpdate,
    if_match: int | None,
    clock: Clock,
) -> ReportRead:
    """Until the end of the period's unit deadline (Vietnam time); then a reform_admin only."""
    ensure_fresh(if_match, report.version)
    period = await session.get_one(Period, report.period_id)
    now = clock.now()
    late = is_late(now, period.unit_due_on)
    if late and not principal.has_role(*AFTER_DEADLINE_ROLES):
        raise ReportLocked()
    before = _snapshot(report)
    changes = data.model_dump(exclude_unset=True, exclude={"figures", "evidence"})
    if changes.get("status") == "done" and "percent" not in changes:
        changes["percent"] = 100
    for field, value in changes.items():
        setattr(report, field, value)
    if data.figures is not None:
        task = await session.get_one(Task, report.task_id)
        report.figures = await _figures(session, task.plan_id, data.figures)
    if data.evidence is not None:
        report.evidence = await _evidence(session, principal, data.evidence, clock)
    report.updated_at = now
    await session.flush()
    return await _record(session, report, principal, before, now, late)
