from __future__ import annotations

from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, Field

AggregateType = Literal["unit", "official", "plan", "target", "task", "report"]


class SnapshotEvent(BaseModel):
    type: str = Field(description="<aggregate>.snapshot")
    aggregate_type: str
    aggregate_id: UUID
    sequence: int = Field(description="The aggregate's last outbox sequence (0: none yet)")
    data: dict[str, Any] = Field(description="What the aggregate's events carry")


class SnapshotPage(BaseModel):
    items: list[SnapshotEvent]
    next_after: UUID | None = Field(description="Send as ``after`` for the next page; null: done")
