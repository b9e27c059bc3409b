from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from reporting_api.event.exceptions import InvalidEventData, UnknownEventTypes
from reporting_api.event.models import Event
from reporting_api.event.schemas import EventBatchResult, EventIn
from shared import events as contracts


async def store_events(session: AsyncSession, events: list[EventIn]) -> EventBatchResult:
    """Store each event not seen before; an id already stored (or repeated) is a duplicate."""
    statement = (
        insert(Event)
        .values(checked(events))
        .on_conflict_do_nothing(index_elements=[Event.id])
        .returning(Event.id)
    )
    applied = len((await session.scalars(statement)).all())
    return EventBatchResult(applied=applied, duplicates=len(events) - applied)


def checked(events: list[EventIn]) -> list[dict[str, Any]]:
    """The events as stored, each ``data`` as its type's contract reads it (NFC text, canonical
    dates and ids). One unknown type or one event off its contract refuses the whole batch."""
    unknown: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    rows = []
    for index, event in enumerate(events):
        at = f"body.events.{index}"
        try:
            schema = contracts.data_schema(event.source, event.type)
        except contracts.UnknownEventType as exc:
            unknown.append(_error(f"{at}.type", str(exc), "unknown_event_type"))
            continue
        if event.aggregate_type != contracts.aggregate_of(event.type):
            message = f"{event.type} is an event of a {contracts.aggregate_of(event.type)}"
            errors.append(_error(f"{at}.aggregate_type", message, "aggregate_mismatch"))
        try:
            data = schema.model_validate(event.data).model_dump(mode="json")
        except ValidationError as exc:
            errors += [
                _error(".".join(str(p) for p in (at, "data", *e["loc"])), e["msg"], e["type"])
                for e in exc.errors()
            ]
            continue
        rows.append({**event.model_dump(), "data": data})
    if unknown:
        raise UnknownEventTypes(
            "Bên nhận không biết loại sự kiện này",
            "No contract for this event type",
            errors=unknown,
        )
    if errors:
        raise InvalidEventData(
            f"{len(errors)} trường dữ liệu sự kiện không hợp lệ",
            f"{len(errors)} field(s) of event data are invalid",
            errors=errors,
        )
    return rows


def _error(field: str, message: str, kind: str) -> dict[str, Any]:
    """One entry of ``errors``, shaped like a validation error's."""
    return {"field": field, "message": message, "type": kind}
