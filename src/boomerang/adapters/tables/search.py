"""Substring search for `q` that the portable metadata cannot express (migrations 0012 and 0016).

PostgreSQL: a `pg_trgm` GIN index on `return_orders.search_text` serves `search_text LIKE '%…%'` for any
caller; a second GIN index holds each return's trigrams keyed by its merchant (`<merchant_id>:<trigram>`),
so a merchant's search reads that merchant's posting lists only.
SQLite: an FTS5 table with the trigram tokenizer holds `search_text` under a rowid that puts the merchant in
its high bits (`merchant rowid << 40 | return rowid`), kept in step by triggers: a merchant's documents are
one rowid range, which FTS5 reads alone. A quoted FTS5 phrase of three or more characters matches exactly
the rows that contain it.

A merchant's search first reads its newest SEARCH_SAMPLE returns: a needle found in many of them is
searched by LIKE over the merchant's newest rows (a page fills soon); otherwise the index is asked for the
rows holding the needle's rarest trigrams in that sample (on SQLite, if they are in too many of its returns,
the whole needle as a phrase in its rowid range), and LIKE checks each candidate. Either way the rows are
exactly those whose `search_text` contains the needle.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from boomerang.adapters.tables.product_search import is_product_search_object

TRGM_INDEX = "ix_return_orders_search_trgm"
TENANT_INDEX = "ix_return_orders_search_tenant"
TENANT_KEYS = "boomerang_search_keys"  # PostgreSQL: (merchant_id, search_text) -> text[] of keyed trigrams
FTS_TABLE = "return_search"
OLD_FTS_TABLE = "return_orders_fts"  # migration 0012's table, replaced by FTS_TABLE in 0016
# The return's own rowid sits in the low bits of its FTS rowid, the merchant's rowid above them.
PARTITION_BITS = 40
RETURN_ROWID_MASK = (1 << PARTITION_BITS) - 1
# FTS5 trigram: shorter needles have no trigram, so they fall back to LIKE over the merchant's rows.
FTS_MIN_LENGTH = 3
# At most this many FTS hits are looked up by rowid; a needle with more is searched by LIKE instead.
FTS_DRIVE_LIMIT = 2000
# Candidates of a merchant's rarest trigrams (each checked by LIKE, so cheaper than the phrase's lists)
# are looked up by rowid up to this many; beyond, the whole needle is matched as a phrase in its range.
FTS_CANDIDATE_LIMIT = 5000
# A merchant's search samples its newest returns; a needle in DENSE_HITS of them is searched by LIKE
# (a page of 50 fills after about SEARCH_SAMPLE * 51 / DENSE_HITS rows at most, on average).
SEARCH_SAMPLE = 250
DENSE_HITS = 5
# The index is asked for the rows holding this many of the needle's trigrams, the rarest in the sample...
RARE_KEYS = 2
# ...unless even the rarest is in more than this share of the sample: then no trigram narrows much.
COMMON_SHARE = 0.25
# At most this many of a long needle's trigrams are counted in the sample (spread over the needle).
SAMPLED_TRIGRAMS = 8

_PORTABLE_TRIGRAM = re.compile(r"[a-z0-9]{3}")


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    """Alembic's filter: these objects live in migrations 0012/0016/0017 only, so comparisons leave them out."""
    if name is None:
        return True
    if is_product_search_object(name):
        return False
    return name not in (TRGM_INDEX, TENANT_INDEX) and not name.startswith((FTS_TABLE, OLD_FTS_TABLE))


def fts_phrase(needle: str) -> str:
    """`needle` as one FTS5 phrase (double quotes doubled), matched as a literal substring."""
    return '"' + needle.replace('"', '""') + '"'


def index_trigrams(needle: str, dialect: str) -> list[str]:
    """The needle's distinct trigrams that every row containing it has in the merchant-keyed index.

    SQLite's FTS5 trigram tokenizer indexes every three characters. PostgreSQL's keys come from pg_trgm's
    `show_trgm`, which splits the text into words of letters and digits: a trigram of three ASCII letters or
    digits of the (lower-cased) needle lies inside one such word of any text holding the needle, so it is
    among that text's keys. Other trigrams are left out (never a false negative, at worst a wider search)."""
    grams = dict.fromkeys(needle[i : i + 3] for i in range(len(needle) - 2))
    if dialect == "postgresql":
        return [g for g in grams if _PORTABLE_TRIGRAM.fullmatch(g)]
    return list(grams)


def sampled(trigrams: Sequence[str]) -> list[str]:
    """At most SAMPLED_TRIGRAMS of `trigrams`, spread evenly over the needle."""
    if len(trigrams) <= SAMPLED_TRIGRAMS:
        return list(trigrams)
    step = len(trigrams) / SAMPLED_TRIGRAMS
    return [trigrams[int(i * step)] for i in range(SAMPLED_TRIGRAMS)]


def rarest(trigrams: Sequence[str], counts: Sequence[int], sample_size: int) -> list[str] | None:
    """The RARE_KEYS trigrams found in fewest sampled returns, or None when even the rarest is common."""
    ranked = sorted(range(len(trigrams)), key=lambda i: (counts[i], i))
    if not ranked or counts[ranked[0]] > COMMON_SHARE * max(sample_size, 1):
        return None
    return [trigrams[i] for i in ranked[:RARE_KEYS]]


def tenant_key(merchant_id: str, trigram: str) -> str:
    """A key of the PostgreSQL merchant-keyed index, as TENANT_KEYS writes it."""
    return f"{merchant_id}:{trigram}"


def fts_rowid_range(merchant_rowid: int) -> tuple[int, int]:
    """The FTS rowids of a merchant's returns (SQLite), first and last."""
    return merchant_rowid << PARTITION_BITS, ((merchant_rowid + 1) << PARTITION_BITS) - 1
