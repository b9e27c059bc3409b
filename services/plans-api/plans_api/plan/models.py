"""Plans (kế hoạch, đề án, quyết định, chương trình), their targets and dated milestones."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from plans_api.db import Base
from shared.db import Timestamped, Versioned

PLAN_KINDS = ("ke_hoach", "de_an", "quyet_dinh", "chuong_trinh")
PLAN_STATUSES = ("draft", "active", "completed", "cancelled")


class Plan(Versioned, Timestamped, Base):
    __tablename__ = "plans"
    __table_args__ = (
        CheckConstraint("kind IN ('ke_hoach', 'de_an', 'quyet_dinh', 'chuong_trinh')", name="kind"),
        CheckConstraint("status IN ('draft', 'active', 'completed', 'cancelled')", name="status"),
        CheckConstraint("end_year >= start_year", name="years"),
        UniqueConstraint("province_id", "code", name="uq_plans_province_code"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    code: Mapped[str] = mapped_column(String(60))  # number and symbol: "57/KH-UBND"
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(Text)
    summary: Mapped[str | None] = mapped_column(Text)
    issuer_unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("units.id"), index=True)
    # The province the plan belongs to: its unit names are matched within it.
    province_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("units.id"), index=True)
    issued_on: Mapped[date | None] = mapped_column(Date)
    start_year: Mapped[int] = mapped_column(Integer)
    end_year: Mapped[int] = mapped_column(Integer)
    parent_plan_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("plans.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(16), default="active")
    # [{"document": "Quyết định 905/QĐ-BNV", "title": "...", "issued_on": "2022-11-17"}]
    legal_bases: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)


class Target(Versioned, Base):
    """An indicator (chỉ tiêu): a measure compared against dated milestones."""

    __tablename__ = "targets"
    __table_args__ = (
        CheckConstraint("measure IN ('percent', 'count')", name="measure"),
        CheckConstraint("comparator IN ('gt', 'gte', 'eq', 'lt', 'lte')", name="comparator"),
        UniqueConstraint("plan_id", "code", name="uq_targets_plan_code"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    plan_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("plans.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(Text)
    measure: Mapped[str] = mapped_column(String(8))
    comparator: Mapped[str] = mapped_column(String(4))
    # "manual" (reported by units) or an automatic metric computed by reporting-api.
    source: Mapped[str] = mapped_column(String(40), default="manual")
    # For automatic metrics: the group of officials (cchc_officials, leaders, one_stop_shop, …).
    group: Mapped[str | None] = mapped_column(String(40))
    area_code: Mapped[str | None] = mapped_column(ForeignKey("reform_areas.code"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str | None] = mapped_column(Text)


class Milestone(Base):
    """``value`` due by ``due_on``; ``level`` when a target has a value per level of government
    (e.g. 50% province, 40% district, 35% commune)."""

    __tablename__ = "milestones"
    __table_args__ = (
        UniqueConstraint("target_id", "due_on", "level", name="uq_milestones_target_due_level"),
        CheckConstraint(
            "comparator IS NULL OR comparator IN ('gt', 'gte', 'eq', 'lt', 'lte')",
            name="comparator",
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    target_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("targets.id", ondelete="CASCADE"), index=True
    )
    due_on: Mapped[date] = mapped_column(Date)
    value: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    level: Mapped[str | None] = mapped_column(String(16))
    # The document's own comparator when it differs from the target's: ">80% by 2023, >90% by
    # 2024, 100% by 2025" is ``gt`` with a last milestone ``eq`` (None: the target's).
    comparator: Mapped[str | None] = mapped_column(String(4))
