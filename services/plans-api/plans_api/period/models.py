"""Reporting periods (Q1, 6 months, Q3, year), the rules that make them, per province or plan, and
the dated days off (holidays) and working swap days their deadlines move around."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from plans_api.db import Base


class PeriodRuleSet(Base):
    """Overrides of the default rules (data from the 15th, due on the 20th, units 3 working days
    earlier) for a province, or for one plan (Cần Thơ 2022: data from the 5th, units due on the
    10th, the province on the 20th)."""

    __tablename__ = "period_rules"
    __table_args__ = (
        UniqueConstraint("province_id", "plan_id", name="uq_period_rules_scope"),
        CheckConstraint("data_start_day BETWEEN 1 AND 28", name="data_start_day"),
        CheckConstraint("province_due_day BETWEEN 1 AND 28", name="province_due_day"),
        CheckConstraint("unit_lead_days >= 0", name="unit_lead_days"),
        CheckConstraint("unit_due_day BETWEEN 1 AND 28", name="unit_due_day"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    province_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("units.id"), index=True)
    plan_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    data_start_day: Mapped[int] = mapped_column(Integer)
    province_due_day: Mapped[int] = mapped_column(Integer)
    unit_lead_days: Mapped[int] = mapped_column(Integer)  # working days
    unit_due_day: Mapped[int | None] = mapped_column(Integer)  # instead of unit_lead_days


class Period(Base):
    """A period of one province (and one plan, when the plan has rules of its own)."""

    __tablename__ = "periods"
    __table_args__ = (
        CheckConstraint("kind IN ('q1', 'h1', 'q3', 'year')", name="kind"),
        UniqueConstraint(
            "province_id",
            "plan_id",
            "kind",
            "year",
            name="uq_periods_scope",
            postgresql_nulls_not_distinct=True,
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    province_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("units.id"), index=True)
    plan_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(4))
    year: Mapped[int] = mapped_column(Integer, index=True)
    data_from: Mapped[date] = mapped_column(Date)
    data_to: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)  # the province's report to the Ministry
    unit_due_on: Mapped[date] = mapped_column(Date)  # units' reports to Sở Nội vụ
    # Deadlines a reform_admin set on this period (e.g. tied to the People's Council session):
    # holiday changes leave them alone.
    overridden: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class Holiday(Base):
    """A dated day that is not an ordinary Monday-to-Friday working day or weekend day, for the
    whole country: a public holiday, a day off (compensatory, or swapped), or a weekend day made
    a working day (the Saturday of a swap)."""

    __tablename__ = "holidays"
    __table_args__ = (
        CheckConstraint("kind IN ('holiday', 'day_off', 'working_day')", name="kind"),
    )

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(12))


class HolidayYear(Base):
    """A year whose holidays have been set: the version is the ETag of the year's list."""

    __tablename__ = "holiday_years"
    __table_args__ = (CheckConstraint("year BETWEEN 2000 AND 2100", name="year"),)

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(Integer, default=1)
