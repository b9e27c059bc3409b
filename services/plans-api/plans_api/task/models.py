"""The task tree of a plan (objective → task → activity, numbered ``1.1``, ``2.3``, ``3.12``)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import (
    ARRAY,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from plans_api.db import Base
from shared.db import Timestamped, Versioned

TASK_KINDS = ("objective", "task", "activity")
UNIT_ROLES = ("lead", "coordinating")


class Task(Versioned, Timestamped, Base):
    __tablename__ = "tasks"
    __table_args__ = (
        CheckConstraint("kind IN ('objective', 'task', 'activity')", name="kind"),
        UniqueConstraint("plan_id", "number", name="uq_tasks_plan_number"),
        Index("ix_tasks_open_due", "next_due_on", postgresql_where=text("NOT done")),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    plan_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("plans.id", ondelete="CASCADE"), index=True
    )
    parent_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("tasks.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[str] = mapped_column(String(30))  # "2.3" as printed
    sort_key: Mapped[list[int]] = mapped_column(ARRAY(Integer))  # [2, 3]: orders 2.3 before 2.12
    kind: Mapped[str] = mapped_column(String(10), default="task")
    title: Mapped[str] = mapped_column(Text)
    area_code: Mapped[str | None] = mapped_column(ForeignKey("reform_areas.code"))
    lead_text: Mapped[str | None] = mapped_column(Text)  # the original words of the cells
    coordinating_text: Mapped[str | None] = mapped_column(Text)
    product: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    schedule_text: Mapped[str | None] = mapped_column(Text)
    schedule: Mapped[dict[str, Any] | None] = mapped_column(JSONB)  # the parsed meaning
    schedule_flagged: Mapped[bool] = mapped_column(Boolean, default=False)
    recurrence: Mapped[str | None] = mapped_column(String(16))
    due_dates: Mapped[list[date]] = mapped_column(ARRAY(Date), default=list)
    # A conditional schedule ("khi có yêu cầu", "(nếu cần thiết)") is due only once a reform
    # admin activates the task: from ``activated_on`` on (due dates before it do not count).
    conditional: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    activated_on: Mapped[date | None] = mapped_column(Date)
    # The task's progress, kept by the report service through ``task.service.record_progress``:
    # the latest report's status (None before the first report), the last day its ``done``
    # reports cover, the first due date after that (None: none left) and whether it is done, so
    # that "overdue" is one indexed comparison and task reads never look at reports.
    latest_status: Mapped[str | None] = mapped_column(String(12))
    done_through: Mapped[date | None] = mapped_column(Date)
    next_due_on: Mapped[date | None] = mapped_column(Date)
    done: Mapped[bool] = mapped_column(Boolean, default=False)


class TaskUnit(Base):
    """A unit named in the lead or coordinating cell."""

    __tablename__ = "task_units"
    __table_args__ = (CheckConstraint("role IN ('lead', 'coordinating')", name="role"),)

    task_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True
    )
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("units.id"), primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(12), primary_key=True)


class TaskUnitGroup(Base):
    """A group named in a cell ("Sở, ban, ngành TP", "UBND cấp xã"): resolved to the units of
    that kind as of a date, so each of them can report."""

    __tablename__ = "task_unit_groups"
    __table_args__ = (CheckConstraint("role IN ('lead', 'coordinating')", name="role"),)

    task_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True
    )
    group_code: Mapped[str] = mapped_column(String(40), primary_key=True)
    role: Mapped[str] = mapped_column(String(12), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
