"""returns rules: one live return per tracking number and merchant (one return per package)

The services refuse a second live return with the same tracking number (409 duplicate_tracking_number);
this partial unique index is the backstop for two requests racing past that check.

A database that already holds such duplicates cannot get the index without someone deciding which
return keeps the number, so the upgrade stops and lists them instead of choosing.

Revision ID: 0011_returns_rules
Revises: 0010_secrets_at_rest
Create Date: 2026-11-28 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_returns_rules"
down_revision: str | Sequence[str] | None = "0010_secrets_at_rest"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIVE_WITH_TRACKING = "status != 'Cancelled' AND tracking_number IS NOT NULL"


def _duplicates() -> list[tuple[str, str, int]]:
    rows = op.get_bind().execute(
        sa.text(
            "SELECT merchant_id, tracking_number, COUNT(*) FROM return_orders "
            f"WHERE {LIVE_WITH_TRACKING} GROUP BY merchant_id, tracking_number HAVING COUNT(*) > 1 "
            "ORDER BY merchant_id, tracking_number"
        )
    )
    return [(m, t, int(n)) for m, t, n in rows]


def upgrade() -> None:
    duplicates = _duplicates()
    if duplicates:
        listed = "; ".join(f"merchant {m}: {t} ({n} returns)" for m, t, n in duplicates[:20])
        raise RuntimeError(
            f"{len(duplicates)} tracking numbers are used by more than one live return of a merchant: {listed}. "
            "Decide which return keeps each number (cancel or PATCH the others while they await arrival; "
            "returns past arrival need a manual correction), then run `boomerang db upgrade` again."
        )
    op.create_index(
        "uq_return_orders_live_tracking_number",
        "return_orders",
        ["merchant_id", "tracking_number"],
        unique=True,
        sqlite_where=sa.text(LIVE_WITH_TRACKING),
        postgresql_where=sa.text(LIVE_WITH_TRACKING),
    )


def downgrade() -> None:
    op.drop_index("uq_return_orders_live_tracking_number", table_name="return_orders")
