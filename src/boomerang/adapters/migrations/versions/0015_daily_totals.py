"""daily totals: the dashboard's per-day aggregates of finished days, kept by the rollup job so that an
Overview of 365 days reads a year of totals instead of a year of rows (docs/performance.md, row 6)

Revision ID: 0015_daily_totals
Revises: 0014_dashboard_indexes
Create Date: 2026-12-07 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015_daily_totals"
down_revision: str | Sequence[str] | None = "0014_dashboard_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "daily_totals",
        sa.Column("merchant_id", sa.String(length=40), nullable=False),
        sa.Column("metric", sa.String(length=32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.Column("hours", sa.Integer(), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["merchant_id"], ["merchants.id"], name=op.f("fk_daily_totals_merchant_id_merchants")),
        sa.PrimaryKeyConstraint("merchant_id", "metric", "day", "key", "label", "hours", name=op.f("pk_daily_totals")),
    )
    op.create_table(
        "daily_totals_marks",
        sa.Column("merchant_id", sa.String(length=40), nullable=False),
        sa.Column("through_day", sa.Date(), nullable=False),
        sa.Column("rolled_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["merchant_id"], ["merchants.id"], name=op.f("fk_daily_totals_marks_merchant_id_merchants")
        ),
        sa.PrimaryKeyConstraint("merchant_id", name=op.f("pk_daily_totals_marks")),
    )


def downgrade() -> None:
    op.drop_table("daily_totals_marks")
    op.drop_table("daily_totals")
