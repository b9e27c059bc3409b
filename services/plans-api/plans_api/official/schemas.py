from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal, Self
from uuid import UUID

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from shared.events.plans import CchcRole
from shared.text import clean
from shared.validation_messages import Invalid

CountGroup = Literal[
    "all_officials",
    "cchc_officials",
    "dedicated",
    "concurrent",
    "leaders",
    "one_stop_shop",
    "expert_pool",
    "leadership_source",
]
COUNT_GROUPS: tuple[CountGroup, ...] = CountGroup.__args__  # type: ignore[attr-defined]
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _clean(value: Any) -> Any:
    """Text NFC-normalised and trimmed; an empty string is no value."""
    if isinstance(value, str):
        return clean(value) or None
    return value


def _email(value: Any) -> Any:
    value = _clean(value)
    if isinstance(value, str) and not _EMAIL.match(value):
        raise Invalid("Không phải địa chỉ thư điện tử", "not an e-mail address")
    return value


FullName = Annotated[str, BeforeValidator(_clean), Field(min_length=1, max_length=200)]
EmployeeCode = Annotated[str, BeforeValidator(_clean), Field(min_length=1, max_length=50)]
Position = Annotated[str, BeforeValidator(_clean), Field(min_length=1, max_length=200)]
EducationLevel = Annotated[str, BeforeValidator(_clean), Field(min_length=1, max_length=50)]
Email = Annotated[str, BeforeValidator(_email), Field(max_length=200)]


class OfficialFields(BaseModel):
    """What a person's record holds, shared by creation and import."""

    model_config = ConfigDict(extra="forbid")

    full_name: FullName
    unit_id: UUID
    employee_code: EmployeeCode | None = None
    position: Position | None = None
    is_leader: bool = False
    cchc_role: CchcRole = "none"
    one_stop_shop: bool = False
    education_level: EducationLevel | None = None
    cchc_since: date | None = None
    expert_pool: bool = False
    leadership_source: bool = False
    email: Email | None = None
    joined_on: date | None = None
    left_on: date | None = None

    @model_validator(mode="after")
    def _left_after_joined(self) -> Self:
        if self.joined_on and self.left_on and self.left_on < self.joined_on:
            raise Invalid(
                "Ngày thôi việc (left_on) trước ngày vào làm (joined_on)",
                "left_on is before joined_on",
            )
        return self


class OfficialCreate(OfficialFields):
    pass


# Never null on a record: PATCH may change them but not clear them.
_NOT_NULL = (
    "full_name",
    "unit_id",
    "is_leader",
    "cchc_role",
    "one_stop_shop",
    "expert_pool",
    "leadership_source",
)


class OfficialUpdate(BaseModel):
    """Only the fields sent change. ``effective_on`` dates the change (default: today in
    Vietnam; when only ``left_on`` is sent, that day)."""

    model_config = ConfigDict(extra="forbid")

    full_name: FullName | None = None
    unit_id: UUID | None = None
    employee_code: EmployeeCode | None = None
    position: Position | None = None
    is_leader: bool | None = None
    cchc_role: CchcRole | None = None
    one_stop_shop: bool | None = None
    education_level: EducationLevel | None = None
    cchc_since: date | None = None
    expert_pool: bool | None = None
    leadership_source: bool | None = None
    email: Email | None = None
    joined_on: date | None = None
    left_on: date | None = None
    effective_on: date | None = None

    @model_validator(mode="after")
    def _no_null_for_required(self) -> Self:
        sent = self.model_fields_set.intersection(_NOT_NULL)
        if any(getattr(self, f) is None for f in sent):
            raise Invalid(
                "full_name, unit_id, cchc_role và các cờ không được để trống (null)",
                "full_name, unit_id, cchc_role and the flags may not be null",
            )
        return self


class OfficialRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    employee_code: str | None
    full_name: str
    unit_id: UUID
    position: str | None
    is_leader: bool
    cchc_role: CchcRole
    one_stop_shop: bool
    education_level: str | None
    cchc_since: date | None
    expert_pool: bool
    leadership_source: bool
    email: str | None
    joined_on: date | None
    left_on: date | None
    version: int
    created_at: datetime
    updated_at: datetime


class UnitCounts(BaseModel):
    unit_id: UUID
    name: str
    groups: dict[str, int]


class OfficialCounts(BaseModel):
    as_of: date
    unit_id: UUID | None
    groups: dict[str, int]
    by_unit: list[UnitCounts]


class ImportRowError(BaseModel):
    row: int
    column: str | None
    code: str
    message: str


class ImportReport(BaseModel):
    dry_run: bool
    rows_read: int
    created: int
    updated: int
    errors: list[ImportRowError] = Field(default_factory=list)
