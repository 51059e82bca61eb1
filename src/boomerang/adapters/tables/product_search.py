"""The product picker's search (migration 0017): index objects the portable metadata cannot express.

A merchant types part of a SKU, a name or a barcode; the picker shows at most a page of matches, read
through an index on both databases and never more than the merchant's own entries:

- SKU prefix: a b-tree on `(merchant_id, lower(sku) COLLATE "C")` on PostgreSQL, `(merchant_id, sku COLLATE
  NOCASE)` on SQLite (both fold ASCII letters, both compare bytes), so that the range
  `[needle, needle + U+10FFFF)` holds exactly the SKUs that start with the lower-cased needle.
- Substring of SKU, name or barcodes (three characters or more): on SQLite a contentless FTS5 trigram
  table whose rowids put the merchant's rowid above the product's (as `return_search` does for returns,
  see tables/search.py), so a merchant's documents are one rowid range read alone, in rowid order, up to
  the limit; on PostgreSQL a GIN index of the product's pg_trgm trigrams keyed by its merchant
  (0016's `boomerang_search_keys`), each candidate checked by `strpos`.
"""

from __future__ import annotations

SKU_INDEX = "ix_products_merchant_sku_lower"
TENANT_INDEX = "ix_products_search_tenant"
FTS_TABLE = "product_search"
# A product's FTS rowid: its merchant's rowid in the high bits, its own below (as tables.search).
PARTITION_BITS = 40
PRODUCT_ROWID_MASK = (1 << PARTITION_BITS) - 1
# The largest code point: every string that starts with `needle` sorts below `needle + TOP` byte-wise.
TOP = "\U0010ffff"
# Shorter needles have no trigram: only the SKU prefix is searched.
MIN_SUBSTRING = 3


def is_product_search_object(name: str) -> bool:
    """Objects of migration 0017 only, which the metadata comparison leaves out."""
    return name in (SKU_INDEX, TENANT_INDEX) or name.startswith(FTS_TABLE)


def fts_rowid_range(merchant_rowid: int) -> tuple[int, int]:
    """The FTS rowids of a merchant's products (SQLite), first and last."""
    return merchant_rowid << PARTITION_BITS, ((merchant_rowid + 1) << PARTITION_BITS) - 1
