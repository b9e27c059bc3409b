"""sessions end when they should: users.tokens_valid_after; login failures counted per
(account, address) and per address with growing delays (old per-username rows dropped)

Revision ID: 5c1e0d7a9b21
Revises: a904b9a7ec7c
Create Date: 2026-12-02 00:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5c1e0d7a9b21"
down_revision: str | None = "a904b9a7ec7c"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("users", sa.Column("tokens_valid_after", sa.DateTime(timezone=True)))
    op.create_index("ix_users_tokens_valid_after", "users", ["tokens_valid_after"])
    # The old keys (``user:<name>``) locked an account for everyone; counts are short-lived.
    op.execute("DELETE FROM login_failures")
    op.alter_column("login_failures", "window_started_at", new_column_name="last_failed_at")


def downgrade() -> None:
    op.execute("DELETE FROM login_failures")
    op.alter_column("login_failures", "last_failed_at", new_column_name="window_started_at")
    op.drop_index("ix_users_tokens_valid_after", table_name="users")
    op.drop_column("users", "tokens_valid_after")
