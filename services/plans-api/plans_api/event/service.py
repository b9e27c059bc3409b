"""The current state of units (with their successions), officials (with their dated versions),
plans, targets, tasks and reports as snapshot events, each built from its contract
(``shared.events.plans``), so that reporting-api can rebuild its read models from scratch."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from plans_api.event import repository
from plans_api.event.schemas import AggregateType, SnapshotEvent, SnapshotPage
from plans_api.official.models import Official
from plans_api.plan import repository as plan_repo
from plans_api.plan.models import Plan, Target
from plans_api.plan.service import target_read
from plans_api.report.models import ProgressReport
from plans_api.task.models import Task
from plans_api.task.service import task_reads
from plans_api.unit.models import Unit
from shared.events.base import EventData
from shared.events.plans import (
    OfficialData,
    OfficialSnapshot,
    PlanData,
    ReportData,
    TargetData,
    TaskData,
    UnitData,
    UnitSnapshot,
)

Reader = Callable[[AsyncSession, Sequence[Any]], Awaitable[list[EventData]]]


async def _plans(session: AsyncSession, rows: Sequence[Plan]) -> list[EventData]:
    return [PlanData.model_validate(plan) for plan in rows]


async def _targets(session: AsyncSession, rows: Sequence[Target]) -> list[EventData]:
    milestones = await plan_repo.milestones_of(session, [t.id for t in rows])
    return [TargetData.model_validate(target_read(t, milestones[t.id])) for t in rows]


async def _tasks(session: AsyncSession, rows: Sequence[Task]) -> list[EventData]:
    return [TaskData.model_validate(read) for read in await task_reads(session, rows)]


async def _reports(session: AsyncSession, rows: Sequence[ProgressReport]) -> list[EventData]:
    return [ReportData.model_validate(report) for report in rows]


async def _units(session: AsyncSession, rows: Sequence[Unit]) -> list[EventData]:
    links = await repository.successions_from(session, [u.id for u in rows])
    successions = _by_parent(rows, links, "predecessor_id")
    return [_extend(UnitData, UnitSnapshot, u, successions=successions[u.id]) for u in rows]


async def _officials(session: AsyncSession, rows: Sequence[Official]) -> list[EventData]:
    """Each official with every dated state: the denominators "as of" a date."""
    dated = await repository.versions_of(session, [o.id for o in rows])
    versions = _by_parent(rows, dated, "official_id")
    return [_extend(OfficialData, OfficialSnapshot, o, versions=versions[o.id]) for o in rows]


def _by_parent(rows: Sequence[Any], children: Sequence[Any], key: str) -> dict[UUID, list[Any]]:
    grouped: dict[UUID, list[Any]] = {row.id: [] for row in rows}
    for child in children:
        grouped[getattr(child, key)].append(child)
    return grouped


def _extend(data: type[EventData], snapshot: type[EventData], row: Any, **more: Any) -> EventData:
    """The snapshot of ``row``: its event data and ``more``."""
    return snapshot.model_validate({**dict(data.model_validate(row)), **more})


SOURCES: dict[str, tuple[type[Any], Reader]] = {
    "unit": (Unit, _units),
    "official": (Official, _officials),
    "plan": (Plan, _plans),
    "target": (Target, _targets),
    "task": (Task, _tasks),
    "report": (ProgressReport, _reports),
}


async def export_page(
    session: AsyncSession, aggregate_type: AggregateType, after: UUID | None, limit: int
) -> SnapshotPage:
    model, read = SOURCES[aggregate_type]
    rows = await repository.page(session, model, after, limit)
    snapshots = await read(session, rows)
    sequences = await repository.last_sequences(session, aggregate_type, [row.id for row in rows])
    items = [
        SnapshotEvent(
            type=f"{aggregate_type}.snapshot",
            aggregate_type=aggregate_type,
            aggregate_id=row.id,
            sequence=sequences.get(row.id, 0),
            data=snapshot.model_dump(mode="json"),
        )
        for row, snapshot in zip(rows, snapshots, strict=True)
    ]
    return SnapshotPage(items=items, next_after=rows[-1].id if len(rows) == limit else None)
