"""``GET /events/export``: the current state of units (with their successions), officials (with
their dated versions), plans, targets, tasks and reports as events, so that reporting-api can
rebuild its read models from scratch."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Query
from fastapi.encoders import jsonable_encoder
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from plans_api.official.models import Official, OfficialVersion
from plans_api.official.schemas import OfficialRead
from plans_api.outbox import OutboxSequence
from plans_api.plan import repository as plan_repo
from plans_api.plan.models import Plan, Target
from plans_api.plan.schemas import PlanRead
from plans_api.plan.service import target_read
from plans_api.report.models import ProgressReport
from plans_api.report.schemas import ReportRead
from plans_api.task.models import Task
from plans_api.task.service import task_reads
from plans_api.unit.models import Unit, UnitSuccession
from plans_api.unit.schemas import UnitRead
from shared.auth.dependencies import require_scopes
from shared.auth.tokens import Principal
from shared.db import DbSession, TransactionalRoute
from shared.errors import problem_responses

router = APIRouter(prefix="/api/plans/v1", tags=["events"], route_class=TransactionalRoute)
Exporter = Annotated[Principal, Depends(require_scopes("events:export"))]
AggregateType = Literal["unit", "official", "plan", "target", "task", "report"]
Reader = Callable[[AsyncSession, Sequence[Any]], Awaitable[Sequence[Any]]]


class SnapshotEvent(BaseModel):
    type: str = Field(description="<aggregate>.snapshot")
    aggregate_type: str
    aggregate_id: UUID
    sequence: int = Field(description="The aggregate's last outbox sequence (0: none yet)")
    data: dict[str, Any] = Field(description="What the aggregate's events carry")


class SnapshotPage(BaseModel):
    items: list[SnapshotEvent]
    next_after: UUID | None = Field(description="Send as ``after`` for the next page; null: done")


async def _plans(session: AsyncSession, rows: Sequence[Plan]) -> list[BaseModel]:
    return [PlanRead.model_validate(plan) for plan in rows]


async def _targets(session: AsyncSession, rows: Sequence[Target]) -> list[BaseModel]:
    milestones = await plan_repo.milestones_of(session, [t.id for t in rows])
    return [target_read(t, milestones[t.id]) for t in rows]


async def _tasks(session: AsyncSession, rows: Sequence[Task]) -> list[BaseModel]:
    return list(await task_reads(session, rows))


async def _reports(session: AsyncSession, rows: Sequence[ProgressReport]) -> list[BaseModel]:
    return [ReportRead.model_validate(report) for report in rows]


async def _units(session: AsyncSession, rows: Sequence[Unit]) -> list[dict[str, Any]]:
    links = await session.scalars(
        select(UnitSuccession).where(UnitSuccession.predecessor_id.in_([u.id for u in rows]))
    )
    successions: dict[UUID, list[dict[str, Any]]] = {u.id: [] for u in rows}
    for link in links:
        successions[link.predecessor_id].append(
            {
                "successor_id": link.successor_id,
                "kind": link.kind,
                "effective_on": link.effective_on,
            }
        )
    return [
        {**UnitRead.model_validate(u).model_dump(), "successions": successions[u.id]} for u in rows
    ]


_VERSION_FIELDS = (
    "valid_from",
    "valid_to",
    "unit_id",
    "is_leader",
    "cchc_role",
    "one_stop_shop",
    "expert_pool",
    "leadership_source",
)


async def _officials(session: AsyncSession, rows: Sequence[Official]) -> list[dict[str, Any]]:
    """Each official with every dated state: the denominators "as of" a date."""
    versions = await session.scalars(
        select(OfficialVersion)
        .where(OfficialVersion.official_id.in_([o.id for o in rows]))
        .order_by(OfficialVersion.valid_from)
    )
    by_official: dict[UUID, list[dict[str, Any]]] = {o.id: [] for o in rows}
    for version in versions:
        by_official[version.official_id].append(
            {name: getattr(version, name) for name in _VERSION_FIELDS}
        )
    return [
        {**OfficialRead.model_validate(o).model_dump(), "versions": by_official[o.id]} for o in rows
    ]


SOURCES: dict[str, tuple[type[Any], Reader]] = {
    "unit": (Unit, _units),
    "official": (Official, _officials),
    "plan": (Plan, _plans),
    "target": (Target, _targets),
    "task": (Task, _tasks),
    "report": (ProgressReport, _reports),
}


async def _sequences(session: AsyncSession, kind: str, ids: list[UUID]) -> dict[UUID, int]:
    rows = await session.execute(
        select(OutboxSequence.aggregate_id, OutboxSequence.last_sequence).where(
            OutboxSequence.aggregate_type == kind, OutboxSequence.aggregate_id.in_(ids)
        )
    )
    return {aggregate_id: int(sequence) for aggregate_id, sequence in rows.all()}


@router.get(
    "/events/export",
    response_model=SnapshotPage,
    responses=problem_responses(401, 403, 422),
    summary="Current state as snapshot events (service accounts with `events:export`)",
)
async def export_events(
    session: DbSession,
    _: Exporter,
    aggregate_type: AggregateType,
    after: Annotated[UUID | None, Query(description="The last id of the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 500,
) -> SnapshotPage:
    """Pages of ``{type: "<aggregate>.snapshot", aggregate_type, aggregate_id, sequence, data}``
    in id order; events with a higher sequence than a snapshot's are newer than it."""
    model, read = SOURCES[aggregate_type]
    query = select(model).order_by(model.id).limit(limit)
    if after is not None:
        query = query.where(model.id > after)
    rows = (await session.scalars(query)).all()
    reads = await read(session, rows)
    sequences = await _sequences(session, aggregate_type, [row.id for row in rows])
    items = [
        SnapshotEvent(
            type=f"{aggregate_type}.snapshot",
            aggregate_type=aggregate_type,
            aggregate_id=row.id,
            sequence=sequences.get(row.id, 0),
            data=jsonable_encoder(data),
        )
        for row, data in zip(rows, reads, strict=True)
    ]
    return SnapshotPage(items=items, next_after=rows[-1].id if len(rows) == limit else None)
