"""events received from the producers' outboxes

Revision ID: 7b5e68dae6e0
Revises:
Create Date: 2026-11-23 18:13:05.888267
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "7b5e68dae6e0"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("type", sa.String(length=100), nullable=False),
        sa.Column("source", sa.String(length=50), nullable=False),
        sa.Column("aggregate_type", sa.String(length=50), nullable=False),
        sa.Column("aggregate_id", sa.Uuid(), nullable=False),
        sa.Column("sequence", sa.BigInteger(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("data", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column(
            "received_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
    )
    op.create_index(
        "ix_events_aggregate",
        "events",
        ["aggregate_type", "aggregate_id", "sequence"],
        unique=False,
    )
    op.create_index("ix_events_type_occurred_at", "events", ["type", "occurred_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_events_type_occurred_at", table_name="events")
    op.drop_index("ix_events_aggregate", table_name="events")
    op.drop_table("events")
