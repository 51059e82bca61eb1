"""The product picker searches a merchant's catalog through an index, as the merchant types: SKU prefix
first, then SKU, name or barcode containing the text; at most a page; never another merchant's products.

New return and Edit return used to read the whole catalog (issue 22, item 4). Both databases.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, delete, event, text, update
from sqlalchemy.orm import Session, sessionmaker

from boomerang.adapters.bulk_writer import BulkWriter
from boomerang.adapters.repositories.products import ProductRepository
from boomerang.adapters.tables import core
from boomerang.adapters.tables.product_search import FTS_TABLE, SKU_INDEX, TENANT_INDEX
from boomerang.adapters.tables.search import index_trigrams
from boomerang.bootstrap import make_uow_factory
from boomerang.domain.tenants import Principal, Role
from boomerang.sample.bench_catalog import product_rows
from boomerang.services.read_models.catalog import PICKER_LIMIT, picker_matches

NOW = datetime(2026, 12, 1, tzinfo=UTC)
ODD = [
    ("AC-TENT-2P", "Two-person tent", ["0810001000011"]),
    ("ac-tarp-9", "Tarp, lowercase SKU", ["0810001000099"]),
    ("JACKET-M", "Rain jacket, M", ["0810001000028"]),
    ("PCT-50%", "50% off_sale\\bundle", []),
    ("QUOTE-1", 'The "best" mug', ["Q-777"]),
    ("UNI-1", "Ünïcødé lamp", ["4006381333931"]),
]


def _merchant(writer: BulkWriter, name: str) -> str:
    merchant_id = f"mch_{name}"
    writer.write(core.merchants, [{"id": merchant_id, "name": name, "currency_code": "USD", "created_at": NOW}])
    return merchant_id


def _products(writer: BulkWriter, merchant_id: str, prefix: str, count: int, odd: list[Any]) -> None:
    rows = product_rows(merchant_id, prefix, count, random.Random(7), NOW)
    for row, (sku, name, barcodes) in zip(rows, odd, strict=False):
        row.update(sku=sku, name=name, barcodes=barcodes)
    writer.write(core.products, rows)


@pytest.fixture
def merchants(engine: Engine) -> tuple[str, str]:
    """Two merchants: one with 300 products (a few with odd names), one with 50 sharing its words."""
    writer = BulkWriter(engine)
    first, second = _merchant(writer, "first"), _merchant(writer, "second")
    _products(writer, first, "m01", 300, ODD)
    _products(writer, second, "m02", 50, [("AC-TENT-OTHER", "Two-person tent of another", ["0810001000011"])])
    return first, second


def _repository(session: Session, merchant_id: str) -> ProductRepository:
    return ProductRepository(session, Principal(Role.Merchant, credential_id="t", name="t", merchant_id=merchant_id))


def _search(session_factory: sessionmaker[Session], merchant_id: str, needle: str, limit: int = 500) -> list[str]:
    with session_factory() as session:
        return [p.sku for p in _repository(session, merchant_id).search_for_picker(merchant_id, needle, limit)]


def _catalog(engine: Engine, merchant_id: str) -> list[tuple[str, str, list[str]]]:
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT sku, name, barcodes FROM products WHERE merchant_id = :m"), {"m": merchant_id}
        ).all()
    return [(r.sku, r.name, r.barcodes if isinstance(r.barcodes, list) else json.loads(r.barcodes)) for r in rows]


def _expected(catalog: list[tuple[str, str, list[str]]], needle: str) -> set[str]:
    """The plain test: SKU prefix, or (three characters or more) SKU, name or a barcode containing it."""
    n = needle.strip().lower()
    if len(n) < 3:
        return {sku for sku, _, _ in catalog if sku.lower().startswith(n)}
    return {
        sku
        for sku, name, codes in catalog
        if n in sku.lower() or n in name.lower() or any(n in c.lower() for c in codes)
    }


@pytest.mark.parametrize(
    "needle",
    ["ac-t", "AC-TENT", "tent", "Rain JACK", "0810001000028", "1000028", "50%", "off_s", "\\bun", '"best"', "q-777",
     "ünï", "m01-sku-0001", "m01-sku-00029", "trail", "a", "m0", "no such thing"],
)  # fmt: skip
def test_finds_exactly_the_products_whose_sku_starts_with_or_whose_sku_name_or_barcode_contains_the_text(
    engine: Engine, session_factory: sessionmaker[Session], merchants: tuple[str, str], needle: str
) -> None:
    first, _ = merchants
    found = _search(session_factory, first, needle)
    assert len(found) == len(set(found))
    assert set(found) == _expected(_catalog(engine, first), needle)


def test_sku_prefix_matches_come_first_then_the_rest_in_sku_order(
    session_factory: sessionmaker[Session], merchants: tuple[str, str]
) -> None:
    first, _ = merchants
    found = _search(session_factory, first, "ac-t")
    assert found == ["ac-tarp-9", "AC-TENT-2P"]  # ignoring case, by SKU
    found = _search(session_factory, first, "m01-sku-00001", 20)  # prefix matches, then "m01-sku-000010"...
    assert found == sorted(found, key=str.lower)
    found = _search(session_factory, first, "tent")
    assert found == sorted(found, key=str.lower) and "AC-TENT-2P" in found


def test_never_more_than_the_limit_however_many_match(
    session_factory: sessionmaker[Session], merchants: tuple[str, str]
) -> None:
    first, _ = merchants
    assert len(_search(session_factory, first, "m01-sku", 500)) == 294  # all but the six renamed
    assert len(_search(session_factory, first, "m01-sku", 20)) == 20
    assert len(_search(session_factory, first, "sku-0", 20)) == 20  # substring only, no prefix
    assert _search(session_factory, first, "m01-sku", 5) == [f"m01-sku-{k:06d}" for k in range(7, 12)]


def test_never_finds_another_merchants_products(
    session_factory: sessionmaker[Session], merchants: tuple[str, str]
) -> None:
    first, second = merchants
    assert "AC-TENT-OTHER" not in _search(session_factory, first, "ac-tent")
    assert "AC-TENT-OTHER" not in _search(session_factory, first, "of another")
    assert _search(session_factory, second, "ac-tent") == ["AC-TENT-OTHER"]
    assert _search(session_factory, second, "0810001000011") == ["AC-TENT-OTHER"]
    assert _search(session_factory, second, "m01") == []


def test_a_renamed_or_removed_product_is_found_by_what_it_is_now(
    engine: Engine, session_factory: sessionmaker[Session], merchants: tuple[str, str]
) -> None:
    first, _ = merchants
    p = core.products
    with engine.begin() as conn:
        conn.execute(update(p).where(p.c.sku == "JACKET-M").values(name="Storm shell", barcodes=["5550001"]))
        conn.execute(delete(p).where(p.c.sku == "QUOTE-1"))
    assert _search(session_factory, first, "rain jack") == []
    assert _search(session_factory, first, "storm sh") == ["JACKET-M"]
    assert _search(session_factory, first, "5550001") == ["JACKET-M"]
    assert _search(session_factory, first, "best") == []
    with engine.begin() as conn:
        conn.execute(update(p).where(p.c.sku == "JACKET-M").values(sku="SHELL-M"))
    assert _search(session_factory, first, "shell-") == ["SHELL-M"]
    assert _search(session_factory, first, "jacket-") == []


def test_the_read_model_gives_each_match_its_advice_and_caps_the_page(
    engine: Engine, session_factory: sessionmaker[Session], merchants: tuple[str, str]
) -> None:
    first, _ = merchants
    principal = Principal(Role.Merchant, credential_id="t", name="t", merchant_id=first)
    uow_for = make_uow_factory(session_factory, clock=lambda: NOW)
    with uow_for(principal, read_only=True) as uow:
        assert len(picker_matches(uow, q="m01-sku", limit=1000)) == PICKER_LIMIT
        (food,) = picker_matches(uow, q="m01-sku-000010")  # every tenth bench product is food
    assert food.sku == "m01-sku-000010" and any("disposed" in note for note in food.advice)


# -- the plans: each query is served by an index, on both databases --------------------------------------


@pytest.fixture
def captured(engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    statements: list[tuple[str, Any]] = []

    def capture(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT") and ("products" in statement or FTS_TABLE in statement):
            statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    yield statements
    event.remove(engine, "before_cursor_execute", capture)


def _plan(engine: Engine, statement: str, parameters: Any, *, only_search_indexes: bool = False) -> str:
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SET LOCAL enable_seqscan = off"))  # a table this small is rightly scanned
            if only_search_indexes:  # nor read through the merchant-led b-trees (dropped, then rolled back)
                conn.execute(text("DROP INDEX ix_products_merchant_configured"))
                conn.execute(text("ALTER TABLE products DROP CONSTRAINT uq_products_merchant_sku"))
                conn.execute(text(f"DROP INDEX {SKU_INDEX}"))
            rows = conn.exec_driver_sql("EXPLAIN " + statement, parameters).all()
        else:
            rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
        conn.rollback()
    return "\n".join(str(row[-1]) for row in rows)


@pytest.mark.parametrize("needle", ["ac-t", "tent", "0810001000028", "m01-sku-0002"])
def test_every_query_of_a_search_is_served_by_an_index(
    engine: Engine,
    session_factory: sessionmaker[Session],
    merchants: tuple[str, str],
    captured: list[tuple[str, Any]],
    needle: str,
) -> None:
    first, _ = merchants
    with engine.connect() as conn:  # statistics, as a production database has them
        conn.execute(text("ANALYZE"))
        conn.commit()
    captured.clear()
    _search(session_factory, first, needle, 20)
    plans = [_plan(engine, *s) for s in captured]
    joined = "\n---\n".join(plans)
    assert SKU_INDEX in plans[0], joined  # the SKU prefix: a range of (merchant_id, lower(sku))
    if engine.dialect.name == "postgresql":
        assert "Seq Scan on products" not in joined, joined
        # The substring query (then the products by id) can be served by the merchant's trigrams when the text
        # has some of letters and digits ("ac-t" has none: the merchant's rows are read until a page matches).
        # A table this small is rightly read through the merchant's b-trees, so the plan is asked without them.
        if len(plans) > 2 and index_trigrams(needle.lower(), "postgresql"):
            assert TENANT_INDEX in _plan(engine, *captured[1], only_search_indexes=True), joined
    else:
        assert "SCAN products\n" not in joined + "\n" and "SCAN products " not in joined, joined
        if len(plans) > 2:
            assert f"{FTS_TABLE} VIRTUAL TABLE INDEX" in joined, joined
