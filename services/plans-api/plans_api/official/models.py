"""The registry of officials (CBCCVC): the denominators of the training targets.

``officials`` holds each person's current record; ``official_versions`` keeps every state with
the dates it held, so counts "as of" a date (by group and unit) are exact.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from plans_api.db import Base
from shared.db import Timestamped, Versioned

CCHC_ROLES = ("dedicated", "concurrent", "none")
_ROLE_CHECK = "cchc_role IN ('dedicated', 'concurrent', 'none')"


class Official(Versioned, Timestamped, Base):
    __tablename__ = "officials"
    __table_args__ = (CheckConstraint(_ROLE_CHECK, name="cchc_role"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    # The province's own staff number, when it has one (import matches on it).
    employee_code: Mapped[str | None] = mapped_column(String(50), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("units.id"), index=True)
    position: Mapped[str | None] = mapped_column(String(200))
    is_leader: Mapped[bool] = mapped_column(Boolean, default=False)
    cchc_role: Mapped[str] = mapped_column(String(16), default="none")
    one_stop_shop: Mapped[bool] = mapped_column(Boolean, default=False)
    education_level: Mapped[str | None] = mapped_column(String(50))
    cchc_since: Mapped[date | None] = mapped_column(Date)
    expert_pool: Mapped[bool] = mapped_column(Boolean, default=False)
    leadership_source: Mapped[bool] = mapped_column(Boolean, default=False)
    email: Mapped[str | None] = mapped_column(String(200))
    joined_on: Mapped[date | None] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)  # None: still serving


class OfficialVersion(Base):
    """One state of an official between ``valid_from`` and ``valid_to`` (exclusive; None: now)."""

    __tablename__ = "official_versions"
    __table_args__ = (
        CheckConstraint(_ROLE_CHECK, name="cchc_role"),
        Index("ix_official_versions_as_of", "unit_id", "valid_from", "valid_to"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    official_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("officials.id", ondelete="CASCADE"), index=True
    )
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("units.id"), index=True)
    is_leader: Mapped[bool] = mapped_column(Boolean)
    cchc_role: Mapped[str] = mapped_column(String(16))
    one_stop_shop: Mapped[bool] = mapped_column(Boolean)
    expert_pool: Mapped[bool] = mapped_column(Boolean)
    leadership_source: Mapped[bool] = mapped_column(Boolean)
