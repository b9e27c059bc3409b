"""Reporting periods (Q1, 6 months, Q3, year) and the rules that make them, per province or plan."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from plans_api.db import Base


class PeriodRuleSet(Base):
    """Overrides of the default rules (data from the 15th, due on the 20th, units 5 days
    earlier) for a province, or for one plan (Cần Thơ 2022: from the 5th, due on the 10th)."""

    __tablename__ = "period_rules"
    __table_args__ = (
        UniqueConstraint("province_id", "plan_id", name="uq_period_rules_scope"),
        CheckConstraint("data_start_day BETWEEN 1 AND 28", name="data_start_day"),
        CheckConstraint("province_due_day BETWEEN 1 AND 28", name="province_due_day"),
        CheckConstraint("unit_lead_days >= 0", name="unit_lead_days"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    province_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("units.id"), index=True)
    plan_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    data_start_day: Mapped[int] = mapped_column(Integer)
    province_due_day: Mapped[int] = mapped_column(Integer)
    unit_lead_days: Mapped[int] = mapped_column(Integer)


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
