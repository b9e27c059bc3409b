from __future__ import annotations

from datetime import date, datetime
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

from shared.events.plans import SuccessionKind, UnitLevel
from shared.text import trim
from shared.validation_messages import Invalid

Code = Annotated[str, StringConstraints(min_length=1, max_length=32, strip_whitespace=True)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=300), AfterValidator(trim)]
ShortName = Annotated[str, StringConstraints(min_length=1, max_length=100), AfterValidator(trim)]
AgencyCode = Annotated[
    str,
    StringConstraints(
        min_length=1, max_length=32, strip_whitespace=True, pattern=r"^[A-Za-z0-9][A-Za-z0-9.\-]*$"
    ),
    Field(description="Document-exchange identifier (QCVN 102:2016), e.g. 000.00.00.H30"),
]


def _check_range(valid_from: date | None, valid_to: date | None) -> None:
    if valid_from is not None and valid_to is not None and valid_to < valid_from:
        raise Invalid(
            "Ngày hết hiệu lực (valid_to) không được trước ngày bắt đầu hiệu lực (valid_from)",
            "valid_to must not be before valid_from",
        )


class UnitCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: Code = Field(description="Official code; unique among units valid on the same day")
    name: Name
    short_name: ShortName | None = None
    level: UnitLevel
    parent_id: UUID | None = None
    agency_code: AgencyCode | None = None
    valid_from: date | None = Field(None, description="First day the unit exists (None: ever)")
    valid_to: date | None = Field(None, description="Last day the unit exists (None: still does)")

    @model_validator(mode="after")
    def _dates(self) -> Self:
        _check_range(self.valid_from, self.valid_to)
        return self


class UnitUpdate(BaseModel):
    """Only the fields sent change; ``null`` clears an optional field."""

    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    short_name: ShortName | None = None
    agency_code: AgencyCode | None = None
    parent_id: UUID | None = None
    valid_from: date | None = None
    valid_to: date | None = None

    @model_validator(mode="after")
    def _name_not_null(self) -> Self:
        if "name" in self.model_fields_set and self.name is None:
            raise Invalid("Tên (name) không được để trống", "name cannot be null")
        return self


class UnitRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    code: str
    name: str
    short_name: str | None
    level: str
    parent_id: UUID | None
    agency_code: str | None
    valid_from: date | None
    valid_to: date | None
    created_at: datetime
    updated_at: datetime


class SuccessionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    successor_ids: list[UUID] = Field(min_length=1, max_length=500)
    effective_on: date = Field(description="First day the successors carry the unit's work")
    kind: SuccessionKind

    @model_validator(mode="after")
    def _distinct(self) -> Self:
        if len(set(self.successor_ids)) != len(self.successor_ids):
            raise Invalid(
                "Các đơn vị kế thừa (successor_ids) không được trùng nhau",
                "successor_ids must be distinct",
            )
        return self


class SuccessionRead(BaseModel):
    """The retired unit, the units that took over its work, and from when."""

    unit: UnitRead
    successors: list[UnitRead]
    kind: SuccessionKind
    effective_on: date


class PredecessorRead(BaseModel):
    """One succession link: ``unit``'s work passed to ``successor_id`` from ``effective_on``."""

    unit: UnitRead
    successor_id: UUID
    kind: SuccessionKind
    effective_on: date


class ReformAreaRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    name_vi: str
    name_en: str
    position: int
