"""task windows and conditions: conditional and activated_on, stored schedules read anew

A one-off window ("2022 - 2023", "Quý II - IV") is now due once, at its end, instead of once per
period; recurring schedules have no due date before the plan's issue day; a condition ("khi có
yêu cầu", "(nếu cần thiết)") makes the task conditional, with nothing due until it is activated.
Every stored schedule is parsed again with the parser of this release; due dates a person typed
(they differ from what the words meant when they were stored) are kept.

Revision ID: 5c1e7a9d2b40
Revises: 5c1e7d2b9f30
Create Date: 2026-12-02 00:30:00
"""

import json
from calendar import monthrange
from collections.abc import Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

from plans_api.task.schedule import PlanYears, meaning, recurrence

revision: str = "5c1e7a9d2b40"
down_revision: str | None = "5c1e7d2b9f30"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TASKS = sa.table(
    "tasks",
    sa.column("id", sa.Uuid()),
    sa.column("schedule", JSONB()),
    sa.column("schedule_flagged", sa.Boolean()),
    sa.column("recurrence", sa.String()),
    sa.column("due_dates", ARRAY(sa.Date())),
    sa.column("conditional", sa.Boolean()),
    sa.column("next_due_on", sa.Date()),
    sa.column("done", sa.Boolean()),
)


def _month_end(year: int, month: int) -> date:
    return date(year, month, monthrange(year, month)[1])


def _old_due_dates(schedule: dict[str, Any] | None, start: int, end: int) -> list[date]:
    """The due dates the stored meaning gave before this revision (one per period named)."""
    if schedule is None or schedule["kind"] in ("none", "unparsed"):
        return []
    if schedule.get("due_on"):
        return [date.fromisoformat(schedule["due_on"])]
    first = start if schedule.get("from_year") is None else schedule["from_year"]
    years = schedule.get("years") or range(first, end + 1)
    every = {"quarterly": (3, 6, 9, 12), "semiannual": (6, 12), "monthly": tuple(range(1, 13))}
    months: tuple[int, ...]
    if schedule.get("quarters"):
        months = tuple(3 * q for q in schedule["quarters"])
    elif schedule.get("halves"):
        months = tuple(6 * h for h in schedule["halves"])
    elif schedule.get("months"):
        months = tuple(schedule["months"])
    else:
        months = every.get(schedule.get("recurrence") or "", (12,))
    return sorted({_month_end(year, month) for year in years for month in months})


def _next_due(due: list[date], done_through: date | None, conditional: bool) -> date | None:
    if conditional:  # not activated yet: nothing is due
        return None
    return min((d for d in due if done_through is None or d > done_through), default=None)


def upgrade() -> None:
    op.add_column(
        "tasks",
        sa.Column("conditional", sa.Boolean(), server_default=sa.text("false"), nullable=False),
    )
    op.add_column("tasks", sa.Column("activated_on", sa.Date(), nullable=True))
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT t.id, t.schedule_text, t.schedule, t.due_dates, t.done_through, "
            "p.start_year, p.end_year, p.issued_on "
            "FROM tasks t JOIN plans p ON p.id = t.plan_id WHERE t.schedule_text IS NOT NULL"
        )
    ).all()
    for row in rows:
        years = PlanYears(row.start_year, row.end_year, issued_on=row.issued_on)
        parsed = years.parse(row.schedule_text)
        stored = list(row.due_dates or [])
        explicit = stored != _old_due_dates(row.schedule, row.start_year, row.end_year)
        due = stored if explicit else ([] if parsed is None else years.due(parsed))
        conditional = parsed is not None and parsed.conditional
        next_due = _next_due(due, row.done_through, conditional)
        bind.execute(
            _TASKS.update()
            .where(_TASKS.c.id == row.id)
            .values(
                schedule=None
                if parsed is None
                else json.loads(json.dumps(meaning(parsed), default=str)),
                schedule_flagged=parsed is not None and parsed.flagged,
                recurrence=None if parsed is None else recurrence(parsed),
                due_dates=due,
                conditional=conditional,
                next_due_on=next_due,
                done=next_due is None and row.done_through is not None,
            )
        )


def downgrade() -> None:
    # The due dates stay as this revision computed them.
    op.drop_column("tasks", "activated_on")
    op.drop_column("tasks", "conditional")
