from __future__ import annotations

from datetime import date
from typing import Annotated, Literal
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, computed_field

from plans_api.period.calendar import PeriodKind, period_for
from shared.text import clean

PeriodKindName = Literal["q1", "h1", "q3", "year"]


class PeriodRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    kind: PeriodKindName
    year: int
    data_from: date
    data_to: date
    due_on: date = Field(description="The province's report to the Ministry is due")
    unit_due_on: date = Field(description="Units' reports to Sở Nội vụ are due")
    province_id: UUID
    plan_id: UUID | None = Field(description="Set when the plan has rules of its own")
    overridden: bool = Field(
        description="A reform_admin set these deadlines; holiday changes leave them alone"
    )
    version: int = Field(description="Also the ETag of GET /periods/{id}")

    @computed_field(description="Quý I năm 2024, 6 tháng đầu năm 2024 …")  # type: ignore[prop-decorator]
    @property
    def label(self) -> str:
        return period_for(PeriodKind(self.kind), self.year).label


class PeriodRulesPut(BaseModel):
    """Rules for a province (``province_id``) or for one plan (``plan_id``)."""

    model_config = ConfigDict(extra="forbid")

    province_id: UUID | None = None
    plan_id: UUID | None = None
    data_start_day: int = Field(description="Data counted from this day of the month (1..28)")
    province_due_day: int = Field(
        description="The province's report due on this day (1..28), or the next working day"
    )
    unit_lead_days: int | None = Field(
        None,
        description="Units' reports due this many working days before the province's (default 3)",
    )
    unit_due_day: int | None = Field(
        None,
        description="Instead of unit_lead_days: units' reports due on this day of the month "
        "(1..28, not after province_due_day), or the next working day",
    )


class PeriodRulesRead(BaseModel):
    province_id: UUID
    plan_id: UUID | None
    data_start_day: int
    province_due_day: int
    unit_lead_days: int = Field(description="Working days; not used when unit_due_day is set")
    unit_due_day: int | None
    source: Literal["plan", "province", "default"]


class PeriodDeadlinesPatch(BaseModel):
    """A period's own deadlines (e.g. the 6-month report tied to the People's Council session).
    Each is kept as sent: no move to a working day."""

    model_config = ConfigDict(extra="forbid")

    due_on: date | None = Field(None, description="The province's report; not before data_to")
    unit_due_on: date | None = Field(
        None, description="Units' reports; not before data_to nor after due_on"
    )


HolidayName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(clean),
]
DayKind = Literal["holiday", "day_off", "working_day"]


class HolidayDay(BaseModel):
    model_config = ConfigDict(extra="forbid", from_attributes=True)

    day: date
    name: HolidayName = Field(description="In Vietnamese: Tết Nguyên đán, Quốc khánh …")
    kind: DayKind = Field(
        description="holiday (a public holiday), day_off (compensatory or swapped day off), "
        "working_day (a Saturday or Sunday that is a working day, the other half of a swap)"
    )


class HolidaysPut(BaseModel):
    """The year's whole list: it replaces the one stored."""

    model_config = ConfigDict(extra="forbid")

    days: list[HolidayDay] = Field(max_length=366)


class HolidaysRead(BaseModel):
    year: int
    days: list[HolidayDay]
    version: int = Field(description="Also the ETag; 0 while the year has no list")
