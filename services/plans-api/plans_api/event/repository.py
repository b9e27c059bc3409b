"""The queries of the events export: a page of an aggregate's rows, and what their snapshots
add to them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from plans_api.official.models import OfficialVersion
from plans_api.outbox import OutboxSequence
from plans_api.unit.models import UnitSuccession


async def page(session: AsyncSession, model: Any, after: UUID | None, limit: int) -> Sequence[Any]:
    """Up to ``limit`` rows of ``model`` in id order, after the id ``after``."""
    query = select(model).order_by(model.id).limit(limit)
    if after is not None:
        query = query.where(model.id > after)
    return (await session.scalars(query)).all()


async def successions_from(
    session: AsyncSession, unit_ids: Sequence[UUID]
) -> Sequence[UnitSuccession]:
    query = select(UnitSuccession).where(UnitSuccession.predecessor_id.in_(unit_ids))
    return (await session.scalars(query)).all()


async def versions_of(
    session: AsyncSession, official_ids: Sequence[UUID]
) -> Sequence[OfficialVersion]:
    query = (
        select(OfficialVersion)
        .where(OfficialVersion.official_id.in_(official_ids))
        .order_by(OfficialVersion.valid_from)
    )
    return (await session.scalars(query)).all()


async def last_sequences(
    session: AsyncSession, aggregate_type: str, ids: Sequence[UUID]
) -> dict[UUID, int]:
    rows = await session.execute(
        select(OutboxSequence.aggregate_id, OutboxSequence.last_sequence).where(
            OutboxSequence.aggregate_type == aggregate_type, OutboxSequence.aggregate_id.in_(ids)
        )
    )
    return {aggregate_id: int(sequence) for aggregate_id, sequence in rows.all()}
