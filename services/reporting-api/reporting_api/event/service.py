from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from reporting_api.event.models import Event
from reporting_api.event.schemas import EventBatchResult, EventIn


async def store_events(session: AsyncSession, events: list[EventIn]) -> EventBatchResult:
    """Store each event not seen before; an id already stored (or repeated) is a duplicate."""
    statement = (
        insert(Event)
        .values([event.model_dump() for event in events])
        .on_conflict_do_nothing(index_elements=[Event.id])
        .returning(Event.id)
    )
    applied = len((await session.scalars(statement)).all())
    return EventBatchResult(applied=applied, duplicates=len(events) - applied)
