"""Join the feature branches (warehouse, work orders, webhooks, ShipBob numbers) into one head.

Revision ID: 0006_merge
Revises: 0002_warehouse, 0003_work_orders, 0004_webhooks, 0005_shipbob_numbers
"""

from collections.abc import Sequence

revision: str = "0006_merge"
down_revision: str | Sequence[str] | None = (
    "0002_warehouse",
    "0003_work_orders",
    "0004_webhooks",
    "0005_shipbob_numbers",
)
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Nothing to change: later migrations start from this single head."""


def downgrade() -> None:
    """Nothing to change."""
