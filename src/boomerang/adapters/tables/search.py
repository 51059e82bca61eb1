"""Substring search for `q` that the portable metadata cannot express (created by migration 0012).

PostgreSQL: a `pg_trgm` GIN index on `return_orders.search_text` serves `search_text LIKE '%…%'`.
SQLite: an FTS5 table with the trigram tokenizer mirrors `search_text` by rowid, kept in step by
triggers; a quoted FTS5 phrase of three or more characters matches exactly the rows that contain it.
"""

from __future__ import annotations

from typing import Any

TRGM_INDEX = "ix_return_orders_search_trgm"
FTS_TABLE = "return_orders_fts"
# FTS5 trigram: shorter needles have no trigram, so they fall back to LIKE over the merchant's rows.
FTS_MIN_LENGTH = 3
# At most this many FTS hits are looked up by rowid; a needle with more is searched by LIKE instead.
FTS_DRIVE_LIMIT = 2000


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    """Alembic's filter: these objects live in migration 0012 only, so comparisons leave them out."""
    if name is None:
        return True
    return name != TRGM_INDEX and not name.startswith(FTS_TABLE)


def fts_phrase(needle: str) -> str:
    """`needle` as one FTS5 phrase (double quotes doubled), matched as a literal substring."""
    return '"' + needle.replace('"', '""') + '"'
