from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from plans_api.unit.models import Unit


async def unit_ancestors(session: AsyncSession, unit_id: UUID) -> list[UUID] | None:
    """The ids of the unit and all its ancestors; None when the unit does not exist."""
    chain = select(Unit.id, Unit.parent_id).where(Unit.id == unit_id).cte("chain", recursive=True)
    chain = chain.union(select(Unit.id, Unit.parent_id).join(chain, Unit.id == chain.c.parent_id))
    ids = (await session.scalars(select(chain.c.id))).all()
    return list(ids) or None


class DbUnitTree:
    """``shared.auth.dependencies.UnitTree`` answered from plans-api's own table."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._sessionmaker = sessionmaker

    async def ancestors(self, unit_id: UUID) -> list[UUID] | None:
        async with self._sessionmaker() as session:
            return await unit_ancestors(session, unit_id)
