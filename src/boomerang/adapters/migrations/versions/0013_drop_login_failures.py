"""drop login_failures: failed page sign-ins are counted by the `limits` library (in memory or Redis)

Revision ID: 0013_drop_login_failures
Revises: 0012_search_indexes
Create Date: 2026-11-28 22:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_drop_login_failures"
down_revision: str | Sequence[str] | None = "0012_search_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_login_failures_client_failed_at", table_name="login_failures")
    op.drop_index("ix_login_failures_email_failed_at", table_name="login_failures")
    op.drop_table("login_failures")


def downgrade() -> None:
    # The table comes back empty: the counts lived in the rate-limit storage meanwhile.
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("client_address", sa.String(length=64), nullable=False),
        sa.Column("failed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failures")),
    )
    op.create_index("ix_login_failures_email_failed_at", "login_failures", ["email", "failed_at"])
    op.create_index("ix_login_failures_client_failed_at", "login_failures", ["client_address", "failed_at"])
