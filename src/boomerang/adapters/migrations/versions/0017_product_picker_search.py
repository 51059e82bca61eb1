"""product picker search: the New return and Edit return pages search the catalog as the merchant types
(SKU prefix; SKU, name or barcode substring) through an index, instead of reading every product

A b-tree on (merchant_id, lower(sku)) serves the SKU prefix on both databases (SQLite: sku COLLATE NOCASE;
PostgreSQL: lower(sku) in byte order).
SQLite: a contentless FTS5 trigram table of each product's SKU, name and barcodes under a rowid that puts
the merchant's rowid above the product's, kept in step by triggers. PostgreSQL: a GIN index of the
product's pg_trgm trigrams keyed by its merchant (0016's boomerang_search_keys). See
boomerang.adapters.tables.product_search.

Revision ID: 0017_product_picker_search
Revises: 0016_search_by_merchant
Create Date: 2026-12-14 10:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0017_product_picker_search"
down_revision: str | Sequence[str] | None = "0016_search_by_merchant"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A product's FTS rowid: its merchant's rowid in the high bits, its own below (tables.product_search).
PARTITION_BITS = 40


def _fts_rowid(row: str) -> str:
    return (
        f"(coalesce((SELECT merchants.rowid FROM merchants WHERE merchants.id = {row}.merchant_id), 0)"
        f" << {PARTITION_BITS}) | {row}.rowid"
    )


def _document(row: str) -> str:
    return f"{row}.sku, {row}.name, {row}.barcodes"


SQLITE_UP = (
    # NOCASE folds ASCII letters as lower() does; a collation, not an expression, as SQLite reflects indexes
    "CREATE INDEX ix_products_merchant_sku_lower ON products (merchant_id, sku COLLATE NOCASE)",
    "CREATE VIRTUAL TABLE product_search USING fts5(sku, name, barcodes, content='', tokenize='trigram')",
    f"INSERT INTO product_search(rowid, sku, name, barcodes) SELECT {_fts_rowid('p')}, {_document('p')}"
    " FROM products p",
    "CREATE TRIGGER product_search_insert AFTER INSERT ON products BEGIN"
    f" INSERT INTO product_search(rowid, sku, name, barcodes) VALUES ({_fts_rowid('new')}, {_document('new')});"
    " END",
    "CREATE TRIGGER product_search_delete AFTER DELETE ON products BEGIN"
    " INSERT INTO product_search(product_search, rowid, sku, name, barcodes)"
    f" VALUES ('delete', {_fts_rowid('old')}, {_document('old')}); END",
    "CREATE TRIGGER product_search_update AFTER UPDATE OF sku, name, barcodes, merchant_id ON products"
    " WHEN old.sku IS NOT new.sku OR old.name IS NOT new.name OR old.barcodes IS NOT new.barcodes"
    " OR old.merchant_id IS NOT new.merchant_id BEGIN"
    " INSERT INTO product_search(product_search, rowid, sku, name, barcodes)"
    f" VALUES ('delete', {_fts_rowid('old')}, {_document('old')});"
    f" INSERT INTO product_search(rowid, sku, name, barcodes) VALUES ({_fts_rowid('new')}, {_document('new')});"
    " END",
)
SQLITE_DOWN = (
    "DROP TRIGGER IF EXISTS product_search_update",
    "DROP TRIGGER IF EXISTS product_search_delete",
    "DROP TRIGGER IF EXISTS product_search_insert",
    "DROP TABLE IF EXISTS product_search",
    "DROP INDEX IF EXISTS ix_products_merchant_sku_lower",
)


def _postgres_up() -> tuple[str, ...]:
    # boomerang_search_keys is named with its schema: index expressions are also evaluated under a
    # restricted search_path (ANALYZE, REINDEX), as 0016 names pg_trgm's.
    schema = op.get_bind().exec_driver_sql("SELECT current_schema()").scalar_one()
    return (
        'CREATE INDEX ix_products_merchant_sku_lower ON products (merchant_id, (lower(sku) COLLATE "C"))',
        # A product's trigrams keyed by its merchant; the function is inlined, so a query naming it with the
        # same columns is served by the index. json's text is its stored text (json_out is immutable).
        "CREATE FUNCTION boomerang_product_keys(merchant_id text, sku text, name text, barcodes json)"
        " RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS"
        f" $$ SELECT {schema}.boomerang_search_keys(merchant_id, sku || ' ' || name || ' ' || barcodes::text) $$",
        "CREATE INDEX ix_products_search_tenant ON products"
        " USING gin (boomerang_product_keys(merchant_id, sku, name, barcodes))",
    )


POSTGRES_DOWN = (
    "DROP INDEX IF EXISTS ix_products_search_tenant",
    "DROP FUNCTION IF EXISTS boomerang_product_keys(text, text, text, json)",
    "DROP INDEX IF EXISTS ix_products_merchant_sku_lower",
)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    statements = SQLITE_UP if dialect == "sqlite" else _postgres_up() if dialect == "postgresql" else ()
    for statement in statements:
        op.execute(statement)
    if dialect == "sqlite" and _analyzed():
        op.execute("ANALYZE products")  # statistics for the new index, as 0012 and 0014 do


def _analyzed() -> bool:
    return bool(
        op.get_bind().exec_driver_sql("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'").scalar()
    )


def downgrade() -> None:
    statements = {"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}.get(op.get_bind().dialect.name, ())
    for statement in statements:
        op.execute(statement)
