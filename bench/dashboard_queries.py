"""How long the dashboard's reads take on a large merchant: `python -m bench.dashboard_queries [RETURNS]`.

Builds a SQLite database (or BOOMERANG_DATABASE_URL) with one merchant holding RETURNS returns over a
year (bulk-inserted rows, 1-2 lines each, ledger entries for the completed ones), then times the
Overview, the Returns list (first page, a status tab, a search, a deep page) and the status counts.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from boomerang.adapters import migrate
from boomerang.adapters.db import make_engine, make_session_factory
from boomerang.adapters.repositories.returns import ReturnFilters
from boomerang.adapters.tables import core
from boomerang.adapters.tables.ledger import ledger_entries
from boomerang.bootstrap import make_uow_factory
from boomerang.domain.ids import new_id
from boomerang.domain.returns import ReturnStatus
from boomerang.domain.tenants import Principal, Role
from boomerang.services import admin, products
from boomerang.services.auth import SYSTEM
from boomerang.services.products import ProductFields
from boomerang.services.read_models.overview import load_overview
from boomerang.services.read_models.returns import returns_page
from boomerang.services.unit_of_work import UnitOfWork

STATUSES = [ReturnStatus.Completed] * 7 + [ReturnStatus.AwaitingArrival, ReturnStatus.Arrived, ReturnStatus.Cancelled]
BUCKETS = ["Sellable", "Quarantine", "Disposed"]
ARRIVED = (ReturnStatus.Completed, ReturnStatus.Arrived)


def main(count: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("BOOMERANG_DATABASE_URL") or f"sqlite:///{Path(tmp) / 'bench.db'}"
        engine = make_engine(url)
        migrate.upgrade(engine)
        factory = make_session_factory(engine)
        merchant_id, fc_id, skus = _tenant(factory)
        started = time.perf_counter()
        _bulk_returns(engine, merchant_id, fc_id, skus, count)
        print(f"inserted {count} returns in {time.perf_counter() - started:.1f} s")
        principal = Principal(Role.Merchant, credential_id="bench", name="bench", merchant_id=merchant_id)
        if os.environ.get("BENCH_PROFILE"):
            _profile(factory, principal)
        _time("overview, 30 days", factory, principal, lambda uow: load_overview(uow, days=30))
        _time("overview, 365 days", factory, principal, lambda uow: load_overview(uow, days=365))
        _time(
            "returns, first page",
            factory,
            principal,
            lambda uow: returns_page(uow, filters=ReturnFilters(), cursor=None),
        )
        arrived = ReturnFilters(status=[ReturnStatus.Arrived])
        _time("returns, Arrived tab", factory, principal, lambda uow: returns_page(uow, filters=arrived, cursor=None))
        search = ReturnFilters(q="rma-0001234")
        _time("returns, search", factory, principal, lambda uow: returns_page(uow, filters=search, cursor=None))
        engine.dispose()


def _tenant(factory: Any) -> tuple[str, str, list[str]]:
    with make_uow_factory(factory)(SYSTEM) as uow:
        merchant = admin.create_merchant(uow, name="Big Merchant").merchant
    with make_uow_factory(factory)(SYSTEM) as uow:
        fc = admin.create_fulfillment_center(uow, name="Reno", country="US")
    principal = Principal(Role.Merchant, credential_id="bench", name="bench", merchant_id=merchant.id)
    skus = [f"SKU-{n:03d}" for n in range(50)]
    for sku in skus:
        with make_uow_factory(factory)(principal) as uow:
            products.create_product(uow, details=ProductFields(sku=sku, name=f"Product {sku}"), preferences=None)
    return merchant.id, fc.id, skus


def _bulk_returns(engine: Any, merchant_id: str, fc_id: str, skus: list[str], count: int) -> None:
    rng = random.Random(7)
    with engine.connect() as conn:
        product_ids = dict(
            conn.execute(core.products.select().with_only_columns(core.products.c.sku, core.products.c.id)).all()
        )
    with make_uow_factory(make_session_factory(engine))(SYSTEM) as uow:
        now = uow.now
    orders, lines, ledger = [], [], []
    for n in range(count):
        created = now - timedelta(days=365 * n / count)
        status = rng.choice(STATUSES)
        return_id = new_id("ret")
        orders.append(
            {
                "id": return_id, "merchant_id": merchant_id, "fulfillment_center_id": fc_id,
                "reference_id": f"RMA-{n:07d}", "status": status, "return_type": "Regular", "channel": "API",
                "insert_date": created, "awaiting_arrival_date": created,
                "arrived_date": created + timedelta(days=3) if status in ARRIVED else None,
                "completed_date": created + timedelta(days=4) if status is ReturnStatus.Completed else None,
                "search_text": f"rma-{n:07d}", "version": 1,
            }
        )  # fmt: skip
        for position, sku in enumerate(rng.sample(skus, k=rng.choice((1, 2)))):
            lines.append(
                {
                    "id": new_id("rl"), "return_id": return_id, "merchant_id": merchant_id, "position": position,
                    "product_id": product_ids[sku], "sku": sku, "name": f"Product {sku}", "quantity": 1,
                    "requested_action": "Default", "actions_taken": [],
                }
            )  # fmt: skip
            if status is ReturnStatus.Completed:
                ledger.append(
                    {
                        "id": new_id("led"), "merchant_id": merchant_id, "product_id": product_ids[sku],
                        "fulfillment_center_id": fc_id, "bucket": rng.choice(BUCKETS), "quantity": 1,
                        "reason": "MerchantPreference", "originator": "bench", "return_id": return_id,
                        "created_at": created + timedelta(days=4),
                    }
                )  # fmt: skip
    with engine.begin() as conn:
        for table, rows in ((core.return_orders, orders), (core.return_lines, lines), (ledger_entries, ledger)):
            for start in range(0, len(rows), 5000):
                conn.execute(insert(table), rows[start : start + 5000])


def _time(label: str, factory: Any, principal: Principal, read: Callable[[UnitOfWork], Any]) -> None:
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        with make_uow_factory(factory)(principal) as uow:
            read(uow)
        timings.append(time.perf_counter() - started)
    print(f"{label:24} best of 3: {min(timings) * 1000:7.1f} ms")


def _profile(factory: Any, principal: Principal) -> None:
    with make_uow_factory(factory)(principal) as uow:
        repo = uow.dashboard
        now = uow.now
        since = now - timedelta(days=365)
        for name, call in (
            ("per_day", lambda: repo.returns_per_day(since)),
            ("buckets", lambda: repo.units_by_bucket(since)),
            ("expected", lambda: repo.units_expected_on_completed(since)),
            ("top", lambda: repo.top_skus(now, now - timedelta(days=30), now - timedelta(days=60), 10)),
            ("durations", lambda: repo.processing_hours_histogram(since)),
            ("overdue", lambda: repo.overdue_count(now)),
            ("quarantined", lambda: repo.quarantined_units()),
            ("counts", lambda: uow.returns.count_by_status(ReturnFilters())),
        ):
            started = time.perf_counter()
            call()
            print(f"  {name:12} {(time.perf_counter() - started) * 1000:7.1f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
