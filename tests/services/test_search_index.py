"""`q` search and the list filters are served by an index on both databases, and find exactly what LIKE finds.

The data comes from `boomerang bench seed`'s generator (a few hundred skewed returns). PostgreSQL would
rightly scan a table this small, so its plans are taken with `enable_seqscan = off`: the planner then
still scans when no index can serve the predicate, which is what these tests rule out.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, event, select, text
from sqlalchemy.orm import Session, sessionmaker

from boomerang.adapters.repositories.returns import ReturnFilters, ReturnRepository
from boomerang.adapters.tables import core
from boomerang.adapters.tables.search import FTS_TABLE, TENANT_INDEX
from boomerang.domain.returns import ReturnStatus
from boomerang.domain.tenants import Principal, Role
from boomerang.sample.bench_seed import SeedSpec, seed

# The bench seed commits and runs VACUUM ANALYZE outside a transaction.
pytestmark = pytest.mark.several_connections

rt = core.return_orders


@pytest.fixture
def merchant_id(engine: Engine) -> str:
    summary = seed(engine, SeedSpec(returns=400, merchants=3))
    return summary.merchant_ids[0]


def _repository(session: Session, merchant_id: str | None) -> ReturnRepository:
    """A merchant's view, or (merchant_id None) an admin's, whose only predicate is the search itself."""
    if merchant_id is None:
        return ReturnRepository(session, Principal(Role.Admin, credential_id="t", name="t"))
    return ReturnRepository(session, Principal(Role.Merchant, credential_id="t", name="t", merchant_id=merchant_id))


def _statements(
    engine: Engine, session_factory: sessionmaker[Session], merchant_id: str | None, filters: ReturnFilters
):  # type: ignore[no-untyped-def]
    """The SELECTs on return_orders and its FTS table that listing with `filters` runs (with their parameters)."""
    captured: list[tuple[str, Any]] = []

    def capture(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        reads = "FROM return_orders" in statement or f"FROM {FTS_TABLE}" in statement
        if statement.lstrip().upper().startswith("SELECT") and reads:
            captured.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        with session_factory() as session:
            _repository(session, merchant_id).list(filters, None, 50)
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    return captured


def _plan(engine: Engine, statement: str, parameters: Any, *, bitmap_only: bool = False) -> str:
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SET LOCAL enable_seqscan = off"))
            if bitmap_only:  # no walking a b-tree from end to end either: only an index that narrows remains
                conn.execute(text("SET LOCAL enable_indexscan = off"))
            rows = conn.exec_driver_sql("EXPLAIN " + statement, parameters).all()
        else:
            rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
        conn.rollback()
    return "\n".join(str(row[-1]) for row in rows)


def _plans(
    engine: Engine,
    session_factory: sessionmaker[Session],
    merchant_id: str | None,
    filters: ReturnFilters,
    *,
    bitmap_only: bool = False,
) -> str:
    statements = _statements(engine, session_factory, merchant_id, filters)
    return "\n---\n".join(_plan(engine, *s, bitmap_only=bitmap_only) for s in statements)


def _a_tracking_number(engine: Engine, merchant_id: str) -> str:
    with engine.connect() as conn:
        stmt = select(rt.c.tracking_number).where(rt.c.merchant_id == merchant_id).order_by(rt.c.id).limit(1)
        return str(conn.execute(stmt).scalar_one())


def _assert_no_table_scan(engine: Engine, plan: str) -> None:
    if engine.dialect.name == "postgresql":
        assert "Seq Scan on return_orders" not in plan, plan
    else:
        assert "SCAN return_orders\n" not in plan + "\n", plan
        assert "SCAN return_orders " not in plan, plan


def test_q_search_plan_uses_the_substring_index(
    engine: Engine, session_factory: sessionmaker[Session], merchant_id: str
) -> None:
    tracking = _a_tracking_number(engine, merchant_id)
    # rare needles: a full tracking number, a long-tail SKU (a common one is searched by LIKE, see below)
    for needle in (tracking, tracking[3:11], "m00-sku-000077"):
        plan = _plans(engine, session_factory, merchant_id, ReturnFilters(q=needle))
        _assert_no_table_scan(engine, plan)
        if engine.dialect.name == "sqlite":
            assert f"{FTS_TABLE} VIRTUAL TABLE INDEX 0:M" in plan, plan
            continue
        assert TENANT_INDEX in plan, plan  # the merchant's own trigrams
        # Here a merchant's few hundred rows are rightly read by merchant; unscoped, only the search can narrow.
        unscoped = _plans(engine, session_factory, None, ReturnFilters(q=needle), bitmap_only=True)
        _assert_no_table_scan(engine, unscoped)
        assert "ix_return_orders_search_trgm" in unscoped, unscoped


def test_filter_plans_use_a_merchant_led_index(
    engine: Engine, session_factory: sessionmaker[Session], merchant_id: str
) -> None:
    _assert_no_table_scan(engine, _plans(engine, session_factory, merchant_id, ReturnFilters()))
    plan = _plans(engine, session_factory, merchant_id, ReturnFilters(status=[ReturnStatus.Processing]))
    _assert_no_table_scan(engine, plan)
    assert "ix_return_orders_merchant_id_status" in plan, plan
    plan = _plans(engine, session_factory, merchant_id, ReturnFilters(sku="m00-sku-000077"))
    _assert_no_table_scan(engine, plan)
    assert "ix_return_lines_merchant_id_sku" in plan, plan


def _all_ids(session: Session, merchant_id: str, needle: str) -> list[str]:
    """Every page of `q=needle`, following the cursors."""
    repository, cursor, ids = _repository(session, merchant_id), None, []
    while True:
        page = repository.list(ReturnFilters(q=needle), cursor, 50)
        ids += [order.id for order in page.items]
        if page.next_cursor is None:
            return ids
        cursor = page.next_cursor


@pytest.fixture
def search_texts(engine: Engine, merchant_id: str) -> Iterator[dict[str, str]]:
    with engine.connect() as conn:
        rows = conn.execute(select(rt.c.id, rt.c.search_text).where(rt.c.merchant_id == merchant_id)).all()
    yield {row.id: row.search_text for row in rows}


def test_indexed_search_finds_exactly_the_returns_containing_the_needle(
    session_factory: sessionmaker[Session], merchant_id: str, search_texts: dict[str, str]
) -> None:
    some_text = next(iter(search_texts.values()))
    needles = [some_text[2:14], some_text[:3], "ko", "sku-0000", "SKU-0000", '"quoted"', "%", "_", "a b", "-sku-"]
    with session_factory() as session:
        for needle in needles:
            expected = sorted((i for i, t in search_texts.items() if needle.lower() in t), reverse=True)
            assert _all_ids(session, merchant_id, needle) == expected, needle
