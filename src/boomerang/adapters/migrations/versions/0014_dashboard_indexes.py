"""dashboard indexes: the Overview's aggregates over completed returns and unconfigured products read
the merchant's rows of the period, not the whole table (at 1,000,000 returns each was a sequential scan
of return_orders or products: 250-330 ms; see docs/performance.md, row 6)

Revision ID: 0014_dashboard_indexes
Revises: 0013_drop_login_failures
Create Date: 2026-12-07 13:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0014_dashboard_indexes"
down_revision: str | Sequence[str] | None = "0013_drop_login_failures"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    ("ix_return_orders_merchant_completed", "return_orders", ["merchant_id", "status", "completed_date"]),
    ("ix_products_merchant_configured", "products", ["merchant_id", "preferences_configured"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)
    if op.get_bind().dialect.name == "sqlite":
        # As in 0012: a database analyzed before would otherwise have no statistics for the new indexes.
        analyzed = op.get_bind().exec_driver_sql("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if analyzed.scalar():
            op.execute("ANALYZE return_orders")
            op.execute("ANALYZE products")


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
