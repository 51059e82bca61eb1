"""The benchmark data set holds what the API itself would have written, with the promised skew."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker
from ulid import ULID

from boomerang.adapters.repositories.returns import ReturnFilters, search_text
from boomerang.adapters.tables import core
from boomerang.adapters.tables.ledger import ledger_entries, transactions
from boomerang.bootstrap import make_uow_factory
from boomerang.domain import ids
from boomerang.domain.returns import ReturnStatus, ReturnType
from boomerang.sample.bench_seed import SeedSpec, bulk_id, merchant_api_key, seed
from boomerang.services.auth import SYSTEM

# The bench seed commits and runs VACUUM ANALYZE outside a transaction.
pytestmark = pytest.mark.several_connections

rt = core.return_orders


def test_bulk_ids_are_the_ids_new_id_makes() -> None:
    at = datetime(2026, 3, 1, 12, 30, tzinfo=UTC)
    value = random.Random(7).getrandbits(80)
    expected = f"ret_{ULID.from_int((int(at.timestamp() * 1000) << 80) | value)}"
    assert bulk_id("ret", at, random.Random(7)) == expected
    assert bulk_id("ret", at, random.Random(7))[:14] == ids.new_id("ret", at)[:14]


def test_seeded_returns_are_skewed_and_cover_every_status(engine: Engine) -> None:
    summary = seed(engine, SeedSpec(returns=600, merchants=5))
    with engine.connect() as conn:
        by_merchant = dict(conn.execute(select(rt.c.merchant_id, func.count()).group_by(rt.c.merchant_id)).all())
        statuses = Counter(dict(conn.execute(select(rt.c.status, func.count()).group_by(rt.c.status)).all()))
        rts = conn.execute(select(func.count()).where(rt.c.return_type == ReturnType.ReturnToSender)).scalar_one()
        lines = conn.execute(select(func.count()).select_from(core.return_lines)).scalar_one()
        completed_lines = conn.execute(
            select(func.count())
            .select_from(core.return_lines.join(rt, rt.c.id == core.return_lines.c.return_id))
            .where(rt.c.status == ReturnStatus.Completed)
        ).scalar_one()
        ledger = conn.execute(select(func.count()).select_from(ledger_entries)).scalar_one()
        fees = conn.execute(select(func.count()).select_from(transactions)).scalar_one()
    assert sum(by_merchant.values()) == 600 and lines == 1800
    assert 0.12 <= by_merchant[summary.merchant_ids[0]] / 600 <= 0.28
    assert set(statuses) == {s.value for s in ReturnStatus}
    assert 0.12 <= rts / 600 <= 0.28
    assert ledger == completed_lines
    assert 0 < fees < 600


def test_seeded_returns_read_back_as_the_api_wrote_them(
    engine: Engine, session_factory: sessionmaker[Session], client: TestClient
) -> None:
    seed(engine, SeedSpec(returns=120, merchants=3))
    with engine.connect() as conn:
        stored = dict(conn.execute(select(rt.c.id, rt.c.search_text)).all())
    with make_uow_factory(session_factory)(SYSTEM, read_only=True) as uow:
        orders = uow.returns.list(ReturnFilters(), None, 200).items
        assert {o.id: search_text(o) for o in orders} == stored
        for order in orders:
            assert [h.status for h in order.status_history][-1] == order.status
            assert order.version is not None and order.version >= len(order.status_history)
    headers = {"Authorization": f"Bearer {merchant_api_key(0)}"}
    page = client.get("/api/v1/returns", params={"limit": 200}, headers=headers)
    assert page.status_code == 200, page.text
    first = page.json()["items"][-1]
    found = client.get("/api/v1/returns", params={"q": first["tracking_number"]}, headers=headers).json()["items"]
    assert [r["id"] for r in found] == [first["id"]]
