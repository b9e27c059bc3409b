from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Self
from uuid import UUID

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from shared.events.base import JsonDecimal
from shared.events.plans import (
    Comparator,
    Measure,
    OfficialGroup,
    PlanKind,
    PlanStatus,
    TargetSource,
)
from shared.text import trim
from shared.validation_messages import Invalid

Year = Annotated[int, Field(ge=1945, le=2100)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=5000), AfterValidator(trim)]
LongText = Annotated[str, StringConstraints(min_length=1, max_length=50000), AfterValidator(trim)]
PlanCode = Annotated[
    str,
    StringConstraints(min_length=1, max_length=60, strip_whitespace=True),
    AfterValidator(trim),
    Field(description="Number and symbol, e.g. 57/KH-UBND; unique within a province"),
]


def _not_null(model: BaseModel, *fields: str) -> None:
    for name in fields:
        if name in model.model_fields_set and getattr(model, name) is None:
            raise Invalid(f"{name} không được để trống (null)", f"{name} cannot be null")


class LegalBasis(BaseModel):
    model_config = ConfigDict(extra="forbid")

    document: Annotated[str, StringConstraints(min_length=1, max_length=300), AfterValidator(trim)]
    title: Text | None = None
    issued_on: date | None = None


class PlanCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: PlanCode
    kind: PlanKind
    title: Text
    summary: LongText | None = None
    issuer_unit_id: UUID
    issued_on: date | None = None
    start_year: Year
    end_year: Year
    parent_plan_id: UUID | None = None
    status: PlanStatus = "active"
    legal_bases: list[LegalBasis] = Field(default_factory=list, max_length=100)


class PlanUpdate(BaseModel):
    """Only the fields sent change; ``null`` clears an optional field."""

    model_config = ConfigDict(extra="forbid")

    code: PlanCode | None = None
    kind: PlanKind | None = None
    title: Text | None = None
    summary: LongText | None = None
    issuer_unit_id: UUID | None = None
    issued_on: date | None = None
    start_year: Year | None = None
    end_year: Year | None = None
    parent_plan_id: UUID | None = None
    status: PlanStatus | None = None
    legal_bases: list[LegalBasis] | None = Field(None, max_length=100)

    @model_validator(mode="after")
    def _required_stay(self) -> Self:
        _not_null(self, "code", "kind", "title", "issuer_unit_id", "start_year", "end_year")
        _not_null(self, "status", "legal_bases")
        return self


class PlanRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    code: str
    kind: PlanKind
    title: str
    summary: str | None
    issuer_unit_id: UUID
    province_id: UUID
    issued_on: date | None
    start_year: int
    end_year: int
    parent_plan_id: UUID | None
    status: PlanStatus
    legal_bases: list[LegalBasis]
    version: int
    created_at: datetime
    updated_at: datetime


class MilestoneIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    due_on: date
    value: Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)]
    level: Annotated[str, StringConstraints(min_length=1, max_length=16)] | None = Field(
        None, description="Level of government when values differ by level (province, commune…)"
    )
    comparator: Comparator | None = Field(None, description="When it differs from the target's")


class MilestoneRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    due_on: date
    value: JsonDecimal
    level: str | None
    comparator: Comparator | None


TargetCode = Annotated[str, StringConstraints(min_length=1, max_length=30, strip_whitespace=True)]
AreaCode = Annotated[str, StringConstraints(min_length=1, max_length=32)]


class TargetCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: TargetCode
    title: Text
    measure: Measure
    comparator: Comparator = "gte"
    milestones: list[MilestoneIn] = Field(default_factory=list, max_length=200)
    source: TargetSource = "manual"
    group: OfficialGroup | None = Field(None, description="For training_coverage: whom it counts")
    area_code: AreaCode | None = None
    position: Annotated[int, Field(ge=0, le=100000)] = 0
    note: Text | None = None


class TargetUpdate(BaseModel):
    """Only the fields sent change; ``milestones`` replaces them all."""

    model_config = ConfigDict(extra="forbid")

    code: TargetCode | None = None
    title: Text | None = None
    measure: Measure | None = None
    comparator: Comparator | None = None
    milestones: list[MilestoneIn] | None = Field(None, max_length=200)
    source: TargetSource | None = None
    group: OfficialGroup | None = None
    area_code: AreaCode | None = None
    position: Annotated[int, Field(ge=0, le=100000)] | None = None
    note: Text | None = None

    @model_validator(mode="after")
    def _required_stay(self) -> Self:
        _not_null(self, "code", "title", "measure", "comparator", "milestones", "source")
        _not_null(self, "position")
        return self


class TargetRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    plan_id: UUID
    code: str
    title: str
    measure: Measure
    comparator: Comparator
    milestones: list[MilestoneRead]
    source: str
    group: str | None
    area_code: str | None
    position: int
    note: str | None
    version: int
