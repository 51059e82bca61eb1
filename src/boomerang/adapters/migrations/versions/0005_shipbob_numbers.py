"""shipbob numbers: stable integer numbers for returns, products, FCs, shipments and channels

Revision ID: 0005_shipbob_numbers
Revises: 0001
Create Date: 2026-11-27 17:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_shipbob_numbers"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "compat_numbers",
        sa.Column("number", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("owner_id", sa.String(length=40), nullable=False),
        sa.Column("resource_id", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("number", name=op.f("pk_compat_numbers")),
        sa.UniqueConstraint("kind", "owner_id", "resource_id", name="uq_compat_numbers_resource"),
        sqlite_autoincrement=True,
    )


def downgrade() -> None:
    op.drop_table("compat_numbers")
