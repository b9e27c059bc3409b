from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal, Self
from uuid import UUID

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from plans_api.plan.schemas import Text
from plans_api.unit.groups import GroupCode
from shared.events.plans import TaskKind, TaskStatus
from shared.text import trim
from shared.validation_messages import Invalid

TaskRole = Literal["lead", "coordinating"]
TaskNumber = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^\d{1,4}(\.\d{1,4}){0,7}$"),
    Field(description="As printed: 1, 2.3, 3.12 (orders 3.2 before 3.12)", examples=["2.3"]),
]
CellText = Annotated[str, StringConstraints(max_length=5000), AfterValidator(trim)]
UnitIds = Annotated[list[UUID], Field(max_length=500)]
Groups = Annotated[list[GroupCode], Field(max_length=20)]
DueDates = Annotated[list[date], Field(max_length=500)]


def _not_null(model: BaseModel, *fields: str) -> None:
    for name in fields:
        if name in model.model_fields_set and getattr(model, name) is None:
            raise Invalid(f"{name} không được để trống (null)", f"{name} cannot be null")


class TaskCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    number: TaskNumber
    title: Text
    parent_id: UUID | None = Field(
        None, description="Default: the task whose number prefixes this one (2 for 2.3)"
    )
    kind: TaskKind = "task"
    area: Annotated[str, StringConstraints(max_length=32)] | None = Field(
        None, description="Reform area code"
    )
    lead_unit_ids: UnitIds = Field(default_factory=list)
    coordinating_unit_ids: UnitIds = Field(default_factory=list)
    lead_groups: Groups = Field(default_factory=list)
    coordinating_groups: Groups = Field(default_factory=list)
    lead_text: CellText | None = Field(None, description="The lead cell's original words")
    coordinating_text: CellText | None = None
    product: CellText | None = None
    schedule_text: CellText | None = Field(
        None,
        description="The schedule's original words, kept as written: a window (2022 - 2023, "
        "Quý II - IV) is due once at its end; Hàng năm, Hàng quý, Thường xuyên recur from the "
        "plan's issue date; a list (2025, 2030; Quý I Quý IV) is due per item; a condition "
        "(khi có yêu cầu, nếu cần thiết) makes the task conditional. A window ending before it "
        "starts is refused (422 schedule_window_reversed)",
    )
    due_dates: DueDates | None = Field(
        None, description="Overrides the due dates parsed from schedule_text"
    )
    note: CellText | None = None


class TaskUpdate(BaseModel):
    """Only the fields sent change. Sending ``schedule_text`` recomputes the due dates unless
    ``due_dates`` is sent too (``due_dates: null`` goes back to the parsed ones); a unit or group
    list replaces the old one; a new ``number`` without ``parent_id`` moves the task under the
    task whose number prefixes it."""

    model_config = ConfigDict(extra="forbid")

    number: TaskNumber | None = None
    title: Text | None = None
    parent_id: UUID | None = None
    kind: TaskKind | None = None
    area: Annotated[str, StringConstraints(max_length=32)] | None = None
    lead_unit_ids: UnitIds | None = None
    coordinating_unit_ids: UnitIds | None = None
    lead_groups: Groups | None = None
    coordinating_groups: Groups | None = None
    lead_text: CellText | None = None
    coordinating_text: CellText | None = None
    product: CellText | None = None
    schedule_text: CellText | None = None
    due_dates: DueDates | None = None
    note: CellText | None = None

    @model_validator(mode="after")
    def _required_stay(self) -> Self:
        _not_null(self, "number", "title", "kind", "lead_unit_ids", "coordinating_unit_ids")
        _not_null(self, "lead_groups", "coordinating_groups")
        return self


class TaskRead(BaseModel):
    id: UUID
    plan_id: UUID
    parent_id: UUID | None
    number: str
    depth: int = Field(description="0 for a root task, 1 below it …")
    kind: TaskKind
    title: str
    area: str | None
    lead_unit_ids: list[UUID]
    coordinating_unit_ids: list[UUID]
    lead_groups: list[str]
    coordinating_groups: list[str]
    lead_text: str | None
    coordinating_text: str | None
    product: str | None
    schedule_text: str | None
    schedule: dict[str, Any] | None = Field(
        description="The meaning of schedule_text beside its words: kind, window {from, to} of a "
        "one-off schedule (due at its end), recurrence, years, quarters, conditional, flagged "
        "with reason and detail"
    )
    schedule_flagged: bool
    recurrence: str | None
    due_dates: list[date]
    next_due_on: date | None = Field(
        description="The first due date without a done report; none while a conditional task "
        "is not activated"
    )
    done: bool
    conditional: bool = Field(
        description="The schedule names a condition (khi có yêu cầu, nếu cần thiết …): not due "
        "until a reform admin activates the task"
    )
    activated_on: date | None = Field(
        description="When the conditional task was activated; its due dates count from then"
    )
    status: TaskStatus = Field(description="Of the latest report; not_started without one")
    note: str | None
    version: int


class TaskNode(TaskRead):
    children: list[TaskNode]
