"""Every aggregate of the dashboard's Overview reads the merchant's rows through an index led by the
merchant (and the period where there is one), on both databases: none scans a whole large table.

As in test_search_index.py, PostgreSQL plans are taken with `enable_seqscan = off` (a few hundred rows
would rightly be scanned), so a sequential scan in the plan means no index can serve the query.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, sessionmaker

from boomerang.bootstrap import make_uow_factory
from boomerang.domain.tenants import Principal, Role
from boomerang.sample.bench_seed import SeedSpec, seed
from boomerang.services import daily_totals
from boomerang.services.read_models.overview import PERIODS, load_overview
from tests.services.test_search_index import _plan

# The bench seed commits and runs VACUUM ANALYZE outside a transaction.
pytestmark = pytest.mark.several_connections

LARGE = ("return_orders", "return_lines", "return_status_history", "ledger_entries", "products", "transactions")
LARGE += ("daily_totals",)


def _overview_statements(engine: Engine, session_factory: sessionmaker[Session], merchant_id: str) -> list[Any]:
    captured: list[tuple[str, Any]] = []

    def capture(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT"):
            captured.append((statement, parameters))

    principal = Principal(Role.Merchant, credential_id="t", name="t", merchant_id=merchant_id)
    event.listen(engine, "before_cursor_execute", capture)
    try:
        for days in PERIODS:
            with make_uow_factory(session_factory)(principal, read_only=True) as uow:
                load_overview(uow, days=days)
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    return captured


def _scans(engine: Engine, plan: str) -> list[str]:
    """The plan's lines that read a whole large table (or, on SQLite, walk a whole index of one)."""
    lines = plan.splitlines()
    if engine.dialect.name == "postgresql":
        return [line for line in lines if any(f"Seq Scan on {table}" in line for table in LARGE)]
    return [line for line in lines if any(line.strip().startswith(f"SCAN {table}") for table in LARGE)]


@pytest.mark.parametrize("kept", [False, True], ids=["from-rows", "with-kept-totals"])
def test_every_overview_aggregate_is_served_by_a_merchant_led_index(
    engine: Engine, session_factory: sessionmaker[Session], kept: bool
) -> None:
    """From the rows alone, and with the daily totals kept (the finished days read from `daily_totals`)."""
    merchant_id = seed(engine, SeedSpec(returns=400, merchants=3)).merchant_ids[0]
    if kept:
        assert daily_totals.roll_up_due(make_uow_factory(session_factory))
    statements = _overview_statements(engine, session_factory, merchant_id)
    assert len(statements) >= 10
    plans = [_plan(engine, statement, parameters) for statement, parameters in statements]
    scans = [
        (statement.split("FROM")[1][:80], _scans(engine, plan))
        for (statement, _), plan in zip(statements, plans, strict=True)
    ]
    assert [s for s in scans if s[1]] == []
    everything = "\n".join(plans)
    assert "ix_return_orders_merchant_completed" in everything, everything
    assert "ix_products_merchant_configured" in everything, everything
