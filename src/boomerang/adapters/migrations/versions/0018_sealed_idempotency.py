"""Stored responses of idempotent POSTs encrypted at rest (a response may carry a just-issued API key,
operator or integration token, or webhook signing secret); written in clear before.

Revision ID: 0018_sealed_idempotency
Revises: 0017_product_picker_search
"""

from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018_sealed_idempotency"
down_revision: str | Sequence[str] | None = "0017_product_picker_search"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 500


def _rewrite(transform: Callable[[str], str]) -> None:
    """Every stored body through `transform`, a batch of rows at a time (at most 48 hours of POSTs)."""
    connection = op.get_bind()
    table = sa.table("idempotency_keys", sa.column("credential_id"), sa.column("key"), sa.column("response_body"))
    after: tuple[str, str] = ("", "")
    while True:
        rows = connection.execute(
            sa.select(table)
            .where(table.c.response_body.is_not(None), sa.tuple_(table.c.credential_id, table.c.key) > after)
            .order_by(table.c.credential_id, table.c.key)
            .limit(BATCH)
        ).all()
        for row in rows:
            match = sa.and_(table.c.credential_id == row.credential_id, table.c.key == row.key)
            connection.execute(sa.update(table).where(match).values(response_body=transform(row.response_body)))
        if len(rows) < BATCH:
            return
        after = (rows[-1].credential_id, rows[-1].key)


def upgrade() -> None:
    from boomerang.adapters.secret_box import current_box  # the key comes from the running configuration

    _rewrite(current_box().reencrypt)


def downgrade() -> None:
    from boomerang.adapters.secret_box import current_box

    _rewrite(current_box().decrypt)
