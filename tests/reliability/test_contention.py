"""Contention on PostgreSQL: 16+ clients released together over real HTTP on the same return or the same
quarantined units. One wins; every loser is told a 4xx with the error envelope, never a 500; nothing is done
twice and no stock is over-reserved or negative."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from tests.api.stock import put_in_quarantine
from tests.support.builders import Api, FrozenClock, Merchant, Operator
from tests.support.concurrency import each_at_once
from tests.support.live_server import LiveServer

# A live server, other processes or connections that must meet.
pytestmark = [pytest.mark.postgres, pytest.mark.several_connections]

CLIENTS = 16


@pytest.fixture(params=["postgres"])
def db_kind(request: pytest.FixtureRequest) -> str:
    """PostgreSQL only: the production database, with real concurrent writers."""
    return str(request.param)


@pytest.fixture
def live(engine: Engine, tmp_path: Path) -> Iterator[tuple[LiveServer, Api]]:
    server = LiveServer(engine.url.render_as_string(hide_password=False), tmp_path / "live").start()
    with server.client() as client:
        api = Api(client, "unused")  # type: ignore[arg-type]
        api.admin = server.admin
        yield server, api
    server.stop()


def at_once(server: LiveServer, send: Callable[[httpx.Client, int], httpx.Response]) -> list[httpx.Response]:
    """`send` from CLIENTS threads, each on its own connection (opened before the release), released together."""
    return each_at_once(partial(_connected, server), [partial(_call, send, n) for n in range(CLIENTS)])


@contextmanager
def _connected(server: LiveServer) -> Iterator[httpx.Client]:
    with server.client() as client:
        client.get("/healthz")  # connect before the barrier, so the requests really meet
        yield client


def _call(send: Callable[[httpx.Client, int], httpx.Response], n: int, client: httpx.Client) -> httpx.Response:
    return send(client, n)


def assert_one_winner(results: list[httpx.Response], winner: int, *loser_codes: str) -> None:
    statuses = Counter(r.status_code for r in results)
    assert statuses[winner] == 1, statuses
    for response in results:
        if response.status_code == winner:
            continue
        assert 400 <= response.status_code < 500, f"{response.status_code}: {response.text}"
        assert response.json()["error"]["code"] in loser_codes, response.text


def _rows(engine: Engine, sql: str, **params: Any) -> list[Any]:
    with engine.connect() as conn:
        return list(conn.execute(text(sql), params))


def _arrived_return(api: Api, merchant: Merchant, operator: Operator, fc_id: str, action: str) -> dict[str, Any]:
    product = api.product(merchant, return_preferences={"return_action": action})
    order = api.return_order(merchant, fc_id, [product])
    scan = {"fulfillment_center_id": fc_id, "scanned": order["reference_id"]}
    assert api.client.post("/api/v1/warehouse/receipts", json=scan, headers=operator.headers).status_code == 201
    return order


def _inspected(api: Api, operator: Operator, order: dict[str, Any]) -> None:
    started = api.client.post(f"/api/v1/returns/{order['id']}/start-processing", headers=operator.headers)
    assert started.status_code == 200, started.text
    body = {"quantity_received": 1, "step_results": [], "instructions_unclear": False, "photo_ids": []}
    path = f"/api/v1/returns/{order['id']}/inventory/{order['inventory'][0]['id']}/inspection"
    assert api.client.put(path, json=body, headers=operator.headers).status_code == 200


def test_sixteen_operators_starting_the_same_return_start_it_once(live: tuple[LiveServer, Api], engine: Engine) -> None:
    server, api = live
    merchant, fc, operator = api.setup()
    order = _arrived_return(api, merchant, operator, fc["id"], "Restock")
    path = f"/api/v1/returns/{order['id']}/start-processing"
    results = at_once(server, lambda client, _: client.post(path, headers=operator.headers))
    assert_one_winner(results, 200, "invalid_transition", "version_conflict")
    history = _rows(engine, "SELECT status FROM return_status_history WHERE return_id = :id", id=order["id"])
    assert Counter(h.status for h in history)["Processing"] == 1


def completing(path: str, operator: Operator) -> Callable[[httpx.Client, int], httpx.Response]:
    return lambda client, _: client.post(path, headers=operator.headers)


def test_sixteen_operators_completing_the_same_return_book_its_units_and_event_once(
    live: tuple[LiveServer, Api], engine: Engine
) -> None:
    server, api = live
    merchant, fc, operator = api.setup()
    orders = [_arrived_return(api, merchant, operator, fc["id"], "Quarantine") for _ in range(3)]
    for order in orders:
        _inspected(api, operator, order)
        results = at_once(server, completing(f"/api/v1/returns/{order['id']}/complete", operator))
        assert_one_winner(results, 200, "invalid_transition", "version_conflict")
        ledger = _rows(engine, "SELECT bucket, quantity FROM ledger_entries WHERE return_id = :id", id=order["id"])
        assert [(e.bucket, e.quantity) for e in ledger] == [("Quarantine", 1)]
        events = _rows(
            engine,
            "SELECT count(*) AS n FROM outbox_events WHERE topic = 'return.completed' AND payload->>'id' = :id",
            id=order["id"],
        )
        assert events[0].n == 1


def test_sixteen_work_orders_for_the_same_quarantine_never_reserve_more_than_is_there(
    live: tuple[LiveServer, Api], engine: Engine
) -> None:
    server, api = live
    merchant, fc, operator = api.setup()
    product = api.product(merchant, return_preferences={"return_action": "Quarantine"})
    body = {
        "reference_id": "RMA-FIVE-UNITS",
        "fulfillment_center_id": fc["id"],
        "inventory": [{"product_id": product["id"], "quantity": 5}],
    }
    created = api.client.post("/api/v1/returns", json=body, headers=merchant.headers)
    assert created.status_code == 201, created.text
    order = created.json()
    scan = {"fulfillment_center_id": fc["id"], "scanned": order["reference_id"]}
    assert api.client.post("/api/v1/warehouse/receipts", json=scan, headers=operator.headers).status_code == 201
    _inspected_units(api, operator, order, 5)
    body = {
        "type": "Disposal",
        "fulfillment_center_id": fc["id"],
        "items": [{"product_id": product["id"], "quantity": 2}],
    }
    results = at_once(server, lambda client, _: client.post("/api/v1/work-orders", json=body, headers=merchant.headers))
    statuses = Counter(r.status_code for r in results)
    assert statuses[201] == 2, statuses  # 5 units: two orders of 2, then 1 unit is not enough
    for response in results:
        if response.status_code != 201:
            assert response.status_code in (409, 422), response.text
            assert response.json()["error"]["code"] == "insufficient_quarantine_stock", response.text
    reserved = _rows(engine, "SELECT coalesce(sum(quantity), 0) AS n FROM work_order_items")[0].n
    assert reserved == 4
    reserving = [r.json()["id"] for r in results if r.status_code == 201]
    completions = at_once(
        server,
        lambda client, n: client.post(f"/api/v1/work-orders/{reserving[n % 2]}/complete", headers=operator.headers),
    )
    assert Counter(r.status_code for r in completions)[200] == 2
    for response in completions:
        if response.status_code != 200:
            assert response.status_code == 409, response.text
            assert response.json()["error"]["code"] in ("invalid_transition", "version_conflict"), response.text
    stock = _rows(
        engine,
        "SELECT bucket, sum(quantity) AS n FROM ledger_entries WHERE product_id = :p GROUP BY bucket",
        p=product["id"],
    )
    assert {s.bucket: s.n for s in stock} == {"Quarantine": 1, "Disposed": 4}


def _inspected_units(api: Api, operator: Operator, order: dict[str, Any], units: int) -> None:
    started = api.client.post(f"/api/v1/returns/{order['id']}/start-processing", headers=operator.headers)
    assert started.status_code == 200, started.text
    body = {"quantity_received": units, "step_results": [], "instructions_unclear": False, "photo_ids": []}
    path = f"/api/v1/returns/{order['id']}/inventory/{order['inventory'][0]['id']}/inspection"
    assert api.client.put(path, json=body, headers=operator.headers).status_code == 200, "inspection"
    assert api.client.post(f"/api/v1/returns/{order['id']}/complete", headers=operator.headers).status_code == 200


def test_sixteen_work_orders_locking_two_products_in_either_order_neither_deadlock_nor_over_reserve(
    live: tuple[LiveServer, Api], engine: Engine, session_factory: sessionmaker[Session], clock: FrozenClock
) -> None:
    server, api = live
    merchant, fc, _ = api.setup()
    products = [api.product(merchant)["id"] for _ in range(2)]
    for product_id in products:
        put_in_quarantine(
            session_factory, clock, merchant_id=merchant.id, product_id=product_id, fc_id=fc["id"], quantity=8
        )

    def reserve(client: httpx.Client, n: int) -> httpx.Response:
        ordered = products if n % 2 else products[::-1]
        items = [{"product_id": product_id, "quantity": 1 + n % 2} for product_id in ordered]
        body = {"type": "Disposal", "fulfillment_center_id": fc["id"], "items": items}
        return client.post("/api/v1/work-orders", json=body, headers=merchant.headers)

    results = at_once(server, reserve)
    for response in results:
        if response.status_code != 201:
            assert response.status_code == 422, response.text
            assert response.json()["error"]["code"] == "insufficient_quarantine_stock", response.text
    reserved = _rows(engine, "SELECT product_id, sum(quantity) AS n FROM work_order_items GROUP BY product_id")
    assert all(row.n <= 8 for row in reserved), reserved
    assert sum(r.status_code == 201 for r in results) >= 4  # 8 units per product: at least four orders fit
