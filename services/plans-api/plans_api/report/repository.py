"""Queries of progress reports and their revisions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from sqlalchemy import ColumnElement, Select, case, select
from sqlalchemy.ext.asyncio import AsyncSession

from plans_api.period.calendar import PeriodKind, end_month, period_end
from plans_api.period.models import Period
from plans_api.report.models import ProgressReport, ReportRevision


def period_end_month() -> ColumnElement[int]:
    """The last month of the report's period: orders periods within a year."""
    return case({kind.value: end_month(kind) for kind in PeriodKind}, value=Period.kind)


@dataclass(frozen=True)
class ReportFilters:
    period_id: UUID | None = None
    unit_id: UUID | None = None
    status: str | None = None


def reports_query(
    task_id: UUID, filters: ReportFilters, unit_ids: Sequence[UUID] | None
) -> Select[ProgressReport]:
    """A task's reports, the latest period first; ``unit_ids``: only those units'."""
    query = (
        select(ProgressReport)
        .join(Period, Period.id == ProgressReport.period_id)
        .where(ProgressReport.task_id == task_id)
    )
    if unit_ids is not None:
        query = query.where(ProgressReport.unit_id.in_(unit_ids))
    if filters.period_id is not None:
        query = query.where(ProgressReport.period_id == filters.period_id)
    if filters.unit_id is not None:
        query = query.where(ProgressReport.unit_id == filters.unit_id)
    if filters.status:
        query = query.where(ProgressReport.status == filters.status)
    return query.order_by(
        Period.year.desc(), period_end_month().desc(), ProgressReport.unit_id, ProgressReport.id
    )


async def report_for(
    session: AsyncSession, task_id: UUID, unit_id: UUID, period_id: UUID
) -> ProgressReport | None:
    return await session.scalar(
        select(ProgressReport).where(
            ProgressReport.task_id == task_id,
            ProgressReport.unit_id == unit_id,
            ProgressReport.period_id == period_id,
        )
    )


async def task_progress(session: AsyncSession, task_id: UUID) -> tuple[str | None, date | None]:
    """(status of the task's latest report, by period then time; the last day its ``done``
    reports cover): what :func:`plans_api.task.service.record_progress` keeps on the task."""
    latest = await session.scalar(
        select(ProgressReport.status)
        .join(Period, Period.id == ProgressReport.period_id)
        .where(ProgressReport.task_id == task_id)
        .order_by(Period.year.desc(), period_end_month().desc(), ProgressReport.updated_at.desc())
        .limit(1)
    )
    done = await session.execute(
        select(Period.year, Period.kind)
        .join(ProgressReport, ProgressReport.period_id == Period.id)
        .where(ProgressReport.task_id == task_id, ProgressReport.status == "done")
    )
    covered = max((period_end(year, kind) for year, kind in done.all()), default=None)
    return latest, covered


async def file_cited(session: AsyncSession, file_id: UUID, unit_ids: Sequence[UUID] | None) -> bool:
    """Whether a report (of ``unit_ids``' only, unless None) cites the file as evidence."""
    cited = select(ProgressReport.id).where(
        ProgressReport.evidence.contains([{"kind": "file", "file_id": str(file_id)}])
    )
    if unit_ids is not None:
        cited = cited.where(ProgressReport.unit_id.in_(unit_ids))
    return await session.scalar(cited.limit(1)) is not None


def revisions_query(report_id: UUID) -> Select[ReportRevision]:
    return (
        select(ReportRevision)
        .where(ReportRevision.report_id == report_id)
        .order_by(ReportRevision.changed_at, ReportRevision.id)
    )
