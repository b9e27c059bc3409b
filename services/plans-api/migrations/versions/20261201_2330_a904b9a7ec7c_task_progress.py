"""task progress on the task: latest_status and done_through, back-filled from the reports

Revision ID: a904b9a7ec7c
Revises: d0843df1e942
Create Date: 2026-12-01 23:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a904b9a7ec7c"
down_revision: str | None = "d0843df1e942"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("tasks", sa.Column("latest_status", sa.String(length=12), nullable=True))
    op.add_column("tasks", sa.Column("done_through", sa.Date(), nullable=True))
    # The latest report's status: by period (year, then its last month: q1 3, h1 6, q3 9, year
    # 12 as in plans_api.period.calendar), then the latest change.
    op.execute(
        """
        UPDATE tasks SET latest_status = latest.status
        FROM (
            SELECT DISTINCT ON (r.task_id) r.task_id, r.status
            FROM progress_reports r JOIN periods p ON p.id = r.period_id
            ORDER BY r.task_id, p.year DESC,
                     CASE p.kind WHEN 'q1' THEN 3 WHEN 'h1' THEN 6 WHEN 'q3' THEN 9 ELSE 12 END DESC,
                     r.updated_at DESC
        ) AS latest
        WHERE tasks.id = latest.task_id
        """
    )
    # The last day of the last period with a done report.
    op.execute(
        """
        UPDATE tasks SET done_through = covered.day
        FROM (
            SELECT r.task_id,
                   max(
                       make_date(
                           p.year,
                           CASE p.kind WHEN 'q1' THEN 3 WHEN 'h1' THEN 6 WHEN 'q3' THEN 9 ELSE 12 END,
                           1
                       ) + interval '1 month' - interval '1 day'
                   )::date AS day
            FROM progress_reports r JOIN periods p ON p.id = r.period_id
            WHERE r.status = 'done'
            GROUP BY r.task_id
        ) AS covered
        WHERE tasks.id = covered.task_id
        """
    )


def downgrade() -> None:
    op.drop_column("tasks", "done_through")
    op.drop_column("tasks", "latest_status")
