"""Webhook signing secrets and integration HMAC secrets encrypted at rest (key from BOOMERANG_SECRET_KEY).

Revision ID: 0010_secrets_at_rest
Revises: 0008_unidentified_photos
"""

from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_secrets_at_rest"
down_revision: str | Sequence[str] | None = "0008_unidentified_photos"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, secret column, primary key columns)
SECRET_COLUMNS = (
    ("webhook_subscriptions", "secret", ("id",)),
    ("integration_configs", "webhook_secret", ("merchant_id", "provider")),
)


def _rewrite(transform: Callable[[str], str]) -> None:
    connection = op.get_bind()
    for table_name, column, keys in SECRET_COLUMNS:
        table = sa.table(table_name, sa.column(column), *(sa.column(k) for k in keys))
        for row in connection.execute(sa.select(table)).mappings().all():
            match = sa.and_(*(table.c[k] == row[k] for k in keys))
            connection.execute(sa.update(table).where(match).values({column: transform(row[column])}))


def upgrade() -> None:
    from boomerang.adapters.secret_box import current_box  # the key comes from the running configuration

    for table_name, column, _ in SECRET_COLUMNS:
        with op.batch_alter_table(table_name) as batch:
            batch.alter_column(column, type_=sa.String(500), existing_nullable=False)
    _rewrite(current_box().reencrypt)


def downgrade() -> None:
    from boomerang.adapters.secret_box import current_box

    _rewrite(current_box().decrypt)
    for table_name, column, _ in SECRET_COLUMNS:
        length = 100 if column == "secret" else 200
        with op.batch_alter_table(table_name) as batch:
            batch.alter_column(column, type_=sa.String(length), existing_nullable=False)
