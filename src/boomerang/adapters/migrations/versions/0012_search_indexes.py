"""search indexes: substring search for `q` without a scan, composite indexes led by merchant_id

PostgreSQL gets a pg_trgm GIN index on return_orders.search_text; SQLite an FTS5 trigram table kept in
step by triggers (see boomerang.adapters.tables.search). Both are dialect-specific DDL, so they are
issued here with op.execute and left out of the metadata comparison.

Revision ID: 0012_search_indexes
Revises: 0011_returns_rules
Create Date: 2026-11-28 15:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012_search_indexes"
down_revision: str | Sequence[str] | None = "0011_returns_rules"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COMPOSITE = (
    ("ix_return_orders_merchant_id_status", "return_orders", ["merchant_id", "status", "id"]),
    ("ix_return_orders_fulfillment_center_id_status", "return_orders", ["fulfillment_center_id", "status", "id"]),
    ("ix_return_lines_merchant_id_sku", "return_lines", ["merchant_id", "sku"]),
)

SQLITE_UP = (
    "CREATE VIRTUAL TABLE return_orders_fts USING fts5("
    "search_text, content='return_orders', content_rowid='rowid', tokenize='trigram case_sensitive 1')",
    "INSERT INTO return_orders_fts(return_orders_fts) VALUES ('rebuild')",
    "CREATE TRIGGER return_orders_fts_insert AFTER INSERT ON return_orders BEGIN"
    " INSERT INTO return_orders_fts(rowid, search_text) VALUES (new.rowid, new.search_text); END",
    "CREATE TRIGGER return_orders_fts_delete AFTER DELETE ON return_orders BEGIN"
    " INSERT INTO return_orders_fts(return_orders_fts, rowid, search_text)"
    " VALUES ('delete', old.rowid, old.search_text); END",
    "CREATE TRIGGER return_orders_fts_update AFTER UPDATE OF search_text ON return_orders"
    " WHEN old.search_text IS NOT new.search_text BEGIN"
    " INSERT INTO return_orders_fts(return_orders_fts, rowid, search_text)"
    " VALUES ('delete', old.rowid, old.search_text);"
    " INSERT INTO return_orders_fts(rowid, search_text) VALUES (new.rowid, new.search_text); END",
)
SQLITE_DOWN = (
    "DROP TRIGGER IF EXISTS return_orders_fts_update",
    "DROP TRIGGER IF EXISTS return_orders_fts_delete",
    "DROP TRIGGER IF EXISTS return_orders_fts_insert",
    "DROP TABLE IF EXISTS return_orders_fts",
)
POSTGRES_UP = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX ix_return_orders_search_trgm ON return_orders USING gin (search_text gin_trgm_ops)",
)
POSTGRES_DOWN = ("DROP INDEX IF EXISTS ix_return_orders_search_trgm",)


def _dialect() -> str:
    return op.get_bind().dialect.name


def upgrade() -> None:
    for name, table, columns in COMPOSITE:
        op.create_index(name, table, columns)
    statements = {"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}.get(_dialect(), ())
    for statement in statements:
        op.execute(statement)
    _complete_sqlite_statistics()


def _complete_sqlite_statistics() -> None:
    """A database analyzed before this migration would have statistics for the old indexes only, and
    SQLite would then misjudge the new ones (sorting a tenant's whole history); analyze the two tables."""
    if _dialect() != "sqlite":
        return
    analyzed = op.get_bind().exec_driver_sql("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
    if analyzed.scalar():
        op.execute("ANALYZE return_orders")
        op.execute("ANALYZE return_lines")


def downgrade() -> None:
    statements = {"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}.get(_dialect(), ())
    for statement in statements:
        op.execute(statement)
    for name, table, _ in reversed(COMPOSITE):
        op.drop_index(name, table_name=table)
