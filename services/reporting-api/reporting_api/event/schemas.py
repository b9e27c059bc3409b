from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, Field, StringConstraints

MAX_BATCH = 500

EventType = Annotated[
    str, StringConstraints(max_length=100, pattern=r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
]
ServiceName = Annotated[str, StringConstraints(max_length=50, pattern=r"^[a-z][a-z0-9-]*$")]
AggregateType = Annotated[str, StringConstraints(max_length=50, pattern=r"^[a-z][a-z0-9_]*$")]


class EventIn(BaseModel):
    """One event as the outbox relays send it (fields not named here are ignored)."""

    id: UUID = Field(description="Event id: an event sent again with the same id is a duplicate")
    type: EventType = Field(description="Dotted name, e.g. `unit.created`")
    source: ServiceName = Field(description="Producing service, e.g. `plans-api`")
    occurred_at: AwareDatetime
    aggregate_type: AggregateType = Field(description="Kind of the thing changed, e.g. `unit`")
    aggregate_id: UUID
    sequence: int = Field(ge=1, description="1, 2, 3… per aggregate, without gaps")
    data: dict[str, Any]


class EventBatch(BaseModel):
    events: list[EventIn] = Field(min_length=1, max_length=MAX_BATCH)


class EventBatchResult(BaseModel):
    applied: int = Field(description="Events stored now")
    duplicates: int = Field(description="Events already received before (or twice in the batch)")
