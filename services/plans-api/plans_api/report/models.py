"""Progress reports of a unit on a task for a period, and every change made to them."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from plans_api.db import Base
from shared.db import Versioned

REPORT_STATUSES = ("not_started", "in_progress", "done", "blocked")


class ProgressReport(Versioned, Base):
    __tablename__ = "progress_reports"
    __table_args__ = (
        CheckConstraint(
            "status IN ('not_started', 'in_progress', 'done', 'blocked')", name="status"
        ),
        CheckConstraint("percent >= 0 AND percent <= 100", name="percent"),
        UniqueConstraint("task_id", "unit_id", "period_id", name="uq_progress_reports_scope"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    task_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("tasks.id", ondelete="CASCADE"), index=True
    )
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("units.id"), index=True)
    period_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("periods.id"), index=True)
    status: Mapped[str] = mapped_column(String(12))
    percent: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    narrative: Mapped[str | None] = mapped_column(Text)
    figures: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)  # {target_id: value}
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    submitted_by: Mapped[uuid.UUID | None] = mapped_column()
    submitted_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )
    late: Mapped[bool] = mapped_column(Boolean, default=False)


class ReportRevision(Base):
    """Who changed a report, when, and what it held before and after."""

    __tablename__ = "report_revisions"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    report_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("progress_reports.id", ondelete="CASCADE"), index=True
    )
    changed_by: Mapped[uuid.UUID | None] = mapped_column()
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    after: Mapped[dict[str, Any]] = mapped_column(JSONB)
