"""search by merchant: the substring index of `q` is keyed by the return's merchant, so a merchant's
search reads its own returns' entries, not the whole table's (the long-tail SKU search of
docs/performance.md row 3 grew with the table: its trigrams are in nearly every return)

PostgreSQL: a GIN index on each return's pg_trgm trigrams prefixed with its merchant id (beside 0012's
global trigram index, which operators' searches across merchants keep using). SQLite: 0012's FTS5 table
is replaced by a contentless one whose rowids put the merchant's rowid above the return's, so that a
merchant's documents are one rowid range (see boomerang.adapters.tables.search).

Revision ID: 0016_search_by_merchant
Revises: 0015_daily_totals
Create Date: 2026-12-07 15:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0016_search_by_merchant"
down_revision: str | Sequence[str] | None = "0015_daily_totals"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A return's FTS rowid: its merchant's rowid in the high bits, its own below (tables.search.PARTITION_BITS).
PARTITION_BITS = 40
OLD_TRIGGERS = ("return_orders_fts_update", "return_orders_fts_delete", "return_orders_fts_insert")


def _fts_rowid(row: str) -> str:
    return (
        f"(coalesce((SELECT merchants.rowid FROM merchants WHERE merchants.id = {row}.merchant_id), 0)"
        f" << {PARTITION_BITS}) | {row}.rowid"
    )


SQLITE_UP = (
    *(f"DROP TRIGGER IF EXISTS {name}" for name in OLD_TRIGGERS),
    "DROP TABLE IF EXISTS return_orders_fts",
    "CREATE VIRTUAL TABLE return_search USING fts5(search_text, content='', tokenize='trigram case_sensitive 1')",
    f"INSERT INTO return_search(rowid, search_text) SELECT {_fts_rowid('r')}, r.search_text FROM return_orders r",
    "CREATE TRIGGER return_search_insert AFTER INSERT ON return_orders BEGIN"
    f" INSERT INTO return_search(rowid, search_text) VALUES ({_fts_rowid('new')}, new.search_text); END",
    "CREATE TRIGGER return_search_delete AFTER DELETE ON return_orders BEGIN"
    " INSERT INTO return_search(return_search, rowid, search_text)"
    f" VALUES ('delete', {_fts_rowid('old')}, old.search_text); END",
    "CREATE TRIGGER return_search_update AFTER UPDATE OF search_text, merchant_id ON return_orders"
    " WHEN old.search_text IS NOT new.search_text OR old.merchant_id IS NOT new.merchant_id BEGIN"
    " INSERT INTO return_search(return_search, rowid, search_text)"
    f" VALUES ('delete', {_fts_rowid('old')}, old.search_text);"
    f" INSERT INTO return_search(rowid, search_text) VALUES ({_fts_rowid('new')}, new.search_text); END",
)
# 0012's objects, as it created them.
SQLITE_DOWN = (
    "DROP TRIGGER IF EXISTS return_search_update",
    "DROP TRIGGER IF EXISTS return_search_delete",
    "DROP TRIGGER IF EXISTS return_search_insert",
    "DROP TABLE IF EXISTS return_search",
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


def _postgres_up() -> tuple[str, ...]:
    # show_trgm is named with pg_trgm's schema: index expressions are also evaluated under a restricted
    # search_path (ANALYZE, REINDEX). Declared IMMUTABLE: it is for text (array_to_string is STABLE only
    # because of other element types' output functions).
    schema = (
        op.get_bind()
        .exec_driver_sql("SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'pg_trgm'")
        .scalar_one()
    )
    return (
        "CREATE FUNCTION boomerang_search_keys(tenant text, body text) RETURNS text[]"
        " LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS"
        f" $$ SELECT string_to_array(tenant || ':' || replace(array_to_string({schema}.show_trgm(body), '|'),"
        " '|', '|' || tenant || ':'), '|') $$",
        "CREATE INDEX ix_return_orders_search_tenant ON return_orders"
        " USING gin (boomerang_search_keys(merchant_id, search_text))",
    )


POSTGRES_DOWN = (
    "DROP INDEX IF EXISTS ix_return_orders_search_tenant",
    "DROP FUNCTION IF EXISTS boomerang_search_keys(text, text)",
)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    statements = SQLITE_UP if dialect == "sqlite" else _postgres_up() if dialect == "postgresql" else ()
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    statements = {"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}.get(op.get_bind().dialect.name, ())
    for statement in statements:
        op.execute(statement)
