"""Organisation units: a tree whose roots are provinces, with dated validity and succession.

A unit's ``code`` (QĐ 19/2025/QĐ-TTg: 2 digits for a province, 5 for a commune) is reused after
mergers, so it names a unit only together with a date: no two units with the same code may be
valid on the same day. ``agency_code`` is the identifier used for document exchange
(QCVN 102:2016, e.g. ``000.00.00.H30``).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import get_args

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column

from plans_api.db import Base
from plans_api.unit.schemas import UnitLevel
from shared.db import Timestamped, Versioned

UNIT_LEVELS: tuple[UnitLevel, ...] = get_args(UnitLevel)
SUCCESSION_KINDS = ("merge", "split", "rename")


class Unit(Versioned, Timestamped, Base):
    __tablename__ = "units"
    __table_args__ = (
        CheckConstraint(f"level IN ({', '.join(map(repr, UNIT_LEVELS))})", name="level"),
        CheckConstraint(
            "valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from", name="valid_range"
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    code: Mapped[str] = mapped_column(String(32), index=True)
    name: Mapped[str] = mapped_column(String(300))
    short_name: Mapped[str | None] = mapped_column(String(100))
    level: Mapped[str] = mapped_column(String(16))
    parent_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("units.id", ondelete="RESTRICT"), index=True
    )
    agency_code: Mapped[str | None] = mapped_column(String(32), index=True)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)  # last day it existed; None: still does


class UnitSuccession(Base):
    """From ``effective_on`` the predecessor's work passes to the successor (merge: several
    predecessors, one successor; split: one predecessor, several successors; rename: one each)."""

    __tablename__ = "unit_successions"
    __table_args__ = (
        CheckConstraint("kind IN ('merge', 'split', 'rename')", name="kind"),
        CheckConstraint("predecessor_id <> successor_id", name="not_self"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    predecessor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("units.id"), index=True)
    successor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("units.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    effective_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ReformArea(Base):
    """The seven CCHC reform areas (lĩnh vực CCHC), a fixed catalogue loaded by migration."""

    __tablename__ = "reform_areas"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name_vi: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer)
