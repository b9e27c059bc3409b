from __future__ import annotations

from datetime import date
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, computed_field

from plans_api.period.calendar import PeriodKind, period_for

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
    province_due_day: int = Field(description="The province's report due on this day (1..28)")
    unit_lead_days: int = Field(description="Units' reports due this many days earlier")


class PeriodRulesRead(BaseModel):
    province_id: UUID
    plan_id: UUID | None
    data_start_day: int
    province_due_day: int
    unit_lead_days: int
    source: Literal["plan", "province", "default"]
