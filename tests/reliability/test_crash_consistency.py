"""Crash consistency: a live server on PostgreSQL is killed (SIGKILL) again and again under concurrent
warehouse traffic; the clients retry with their Idempotency-Keys, and the end state keeps every promise of
DESIGN.md §1 (ledger, fees, reservations, outbox) with nothing created twice."""

from __future__ import annotations

import os
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text

from tests.reliability.traffic import RetryingClient, Tally, ok
from tests.support.builders import Api, Merchant, Operator, unique
from tests.support.live_server import LiveServer
from tests.support.waiting import wait_until

# A live server, other processes or connections that must meet.
pytestmark = [pytest.mark.postgres, pytest.mark.several_connections]

LONG = os.environ.get("BOOMERANG_LONG_TESTS") == "1"
KILLS = 20 if LONG else 5
RETURN_CLIENTS = 6
WORK_ORDER_CLIENTS = 2


@pytest.fixture(params=["postgres"])
def db_kind(request: pytest.FixtureRequest) -> str:
    """PostgreSQL only: the production database, with real concurrent writers."""
    return str(request.param)


@dataclass
class Cast:
    merchant: Merchant
    operator: Operator
    fc_id: str
    product_ids: list[str]


@dataclass
class Outcome:
    """What the clients were told: the ids they got back (each from one logical request)."""

    returns: list[str] = field(default_factory=list)
    work_orders: list[str] = field(default_factory=list)
    completed_work_orders: list[str] = field(default_factory=list)
    refused_work_orders: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def _cast(server: LiveServer) -> Cast:
    with server.client() as client:
        api = Api(client, "unused")  # type: ignore[arg-type]
        api.admin = server.admin
        merchant, fc, operator = api.setup()
        quarantined = {"return_preferences": {"return_action": "Quarantine"}}
        products = [api.product(merchant, **quarantined)["id"] for _ in range(2)]
    return Cast(merchant, operator, fc["id"], products)


def _return_flow(http: RetryingClient, cast: Cast, outcome: Outcome, rng: random.Random) -> None:
    """create → dock receive → start → inspect → complete, every step answered 2xx exactly once."""
    body = {
        "reference_id": unique("RMA-CRASH"),
        "fulfillment_center_id": cast.fc_id,
        "inventory": [{"product_id": rng.choice(cast.product_ids), "quantity": 2}],
    }
    created = ok(http.send("POST", "/api/v1/returns", cast.merchant.headers, body), 201)
    with outcome.lock:
        outcome.returns.append(created["id"])
    scan = {"fulfillment_center_id": cast.fc_id, "scanned": body["reference_id"]}
    assert ok(http.send("POST", "/api/v1/warehouse/receipts", cast.operator.headers, scan), 201)["outcome"] == "matched"
    ok(http.send("POST", f"/api/v1/returns/{created['id']}/start-processing", cast.operator.headers), 200)
    inspection = {"quantity_received": rng.choice([1, 2]), "step_results": [], "instructions_unclear": False}
    line = created["inventory"][0]["id"]
    path = f"/api/v1/returns/{created['id']}/inventory/{line}/inspection"
    ok(http.send("PUT", path, cast.operator.headers, {**inspection, "photo_ids": []}), 200)
    done = ok(http.send("POST", f"/api/v1/returns/{created['id']}/complete", cast.operator.headers), 200)
    assert done["status"] == "Completed"


def _work_order_flow(http: RetryingClient, cast: Cast, outcome: Outcome, rng: random.Random) -> None:
    """Reserve one quarantined unit for disposal; complete every other order (leave some open)."""
    body = {
        "type": "Disposal",
        "fulfillment_center_id": cast.fc_id,
        "items": [{"product_id": rng.choice(cast.product_ids), "quantity": 1}],
    }
    response = http.send("POST", "/api/v1/work-orders", cast.merchant.headers, body)
    if response.status_code == 422:  # not enough unreserved quarantine yet: the documented refusal
        assert response.json()["error"]["code"] == "insufficient_quarantine_stock", response.text
        with outcome.lock:
            outcome.refused_work_orders += 1
        time.sleep(0.2)  # deliberate: this client paces itself while stock builds up, instead of hammering
        return
    order = ok(response, 201)
    with outcome.lock:
        outcome.work_orders.append(order["id"])
    if rng.random() < 0.5:
        ok(http.send("POST", f"/api/v1/work-orders/{order['id']}/complete", cast.operator.headers), 200)
        with outcome.lock:
            outcome.completed_work_orders.append(order["id"])


Flow = Callable[[RetryingClient, Cast, Outcome, random.Random], None]


def _client(
    flow: Flow, base_url: str, cast: Cast, outcome: Outcome, tally: Tally, stop: threading.Event, seed: int
) -> Callable[[], None]:
    def run() -> None:
        rng = random.Random(seed)
        http = RetryingClient(base_url, tally)
        try:
            while not stop.is_set():
                flow(http, cast, outcome, rng)
        finally:
            http.close()

    return run


def _wait_for_requests(tally: Tally, more: int, stop: threading.Event) -> None:
    """Until the clients have sent `more` requests (or one of them failed and stopped them all)."""
    seen = tally.requests
    wait_until(
        lambda: stop.is_set() or tally.requests >= seen + more,
        timeout=120,
        message=f"the clients sent no {more} more requests",
    )


def _drive(server: LiveServer, cast: Cast, kills: int, seed: int) -> tuple[Outcome, Tally, list[BaseException]]:
    outcome, tally, stop, failures = Outcome(), Tally(), threading.Event(), []
    return_flow: Flow = _return_flow
    work_order_flow: Flow = _work_order_flow
    flows = [return_flow] * RETURN_CLIENTS + [work_order_flow] * WORK_ORDER_CLIENTS

    def guarded(run: Callable[[], None]) -> Callable[[], None]:
        def call() -> None:
            try:
                run()
            except BaseException as error:  # reported by the test, not lost in the thread
                failures.append(error)
                stop.set()

        return call

    threads = [
        threading.Thread(target=guarded(_client(flow, server.base_url, cast, outcome, tally, stop, seed + n)))
        for n, flow in enumerate(flows)
    ]
    for thread in threads:
        thread.start()
    rng = random.Random(seed)
    for _ in range(kills):
        _wait_for_requests(tally, rng.randint(5, 40), stop)  # a random moment of the traffic
        server.kill()
        server.start()
    _wait_for_requests(tally, 2 * len(threads), stop)  # traffic through the last server before the end
    stop.set()
    for thread in threads:
        thread.join(timeout=300)
    return outcome, tally, failures


def _rows(engine: Engine, sql: str, **params: Any) -> list[Any]:
    with engine.connect() as conn:
        return list(conn.execute(text(sql), params))


def assert_ledger_matches_on_hand(engine: Engine, server: LiveServer, cast: Cast) -> None:
    sums = _rows(
        engine,
        "SELECT product_id, lot_number, expiration_date, bucket, sum(quantity) AS total FROM ledger_entries "
        "GROUP BY product_id, fulfillment_center_id, lot_number, expiration_date, bucket",
    )
    assert all(row.total >= 0 for row in sums), f"a bucket went negative: {sums}"
    ledger = {(r.product_id, r.lot_number, r.bucket): int(r.total) for r in sums}
    with server.client() as client:
        stock = ok(client.get("/api/v1/inventory", params={"limit": 200}, headers=cast.merchant.headers), 200)
    for item in stock["items"]:
        key = (item["product_id"], item["lot_number"])
        assert item["quarantine"] == ledger.get((*key, "Quarantine"), 0), item
        assert item["sellable"] == ledger.get((*key, "Sellable"), 0), item


def assert_each_completed_return_booked_once(engine: Engine, outcome: Outcome) -> None:
    returns = _rows(engine, "SELECT id, status FROM return_orders")
    assert sorted(r.id for r in returns) == sorted(outcome.returns), "a retried create made a second return"
    assert {r.status for r in returns} == {"Completed"}
    booked = _rows(
        engine,
        "SELECT r.id, l.quantity, "
        "(SELECT count(*) FROM ledger_entries e WHERE e.return_id = r.id) AS entries, "
        "(SELECT coalesce(sum(e.quantity), 0) FROM ledger_entries e WHERE e.return_id = r.id) AS units, "
        "(SELECT count(*) FROM transactions t WHERE t.return_id = r.id) AS fees "
        "FROM return_orders r JOIN return_lines l ON l.return_id = r.id",
    )
    for row in booked:
        assert row.fees == 1, f"return {row.id} charged {row.fees} fees"
        assert row.entries == 1 and 1 <= row.units <= row.quantity, f"return {row.id} booked {row}"


def assert_reservations_within_quarantine(engine: Engine, outcome: Outcome) -> None:
    orders = _rows(engine, "SELECT id, status FROM work_orders")
    assert sorted(o.id for o in orders) == sorted(outcome.work_orders), "a retried create made a second order"
    completed = {o.id for o in orders if o.status == "Completed"}
    assert set(outcome.completed_work_orders) <= completed
    over = _rows(
        engine,
        "SELECT i.product_id, sum(i.quantity) AS reserved, "
        "(SELECT coalesce(sum(e.quantity), 0) FROM ledger_entries e "
        " WHERE e.product_id = i.product_id AND e.bucket = 'Quarantine') AS quarantined "
        "FROM work_order_items i JOIN work_orders w ON w.id = i.work_order_id WHERE w.status = 'Open' "
        "GROUP BY i.product_id",
    )
    assert all(row.reserved <= row.quarantined for row in over), over
    disposed = _rows(
        engine,
        "SELECT work_order_id, count(*) AS n FROM ledger_entries WHERE bucket = 'Disposed' GROUP BY work_order_id",
    )
    assert {row.work_order_id for row in disposed} == completed
    assert all(row.n == 1 for row in disposed), disposed


def assert_every_change_has_its_event(engine: Engine, outcome: Outcome) -> None:
    events = _rows(engine, "SELECT topic, payload->>'id' AS id, count(*) AS n FROM outbox_events GROUP BY 1, 2")
    seen = {(e.topic, e.id): int(e.n) for e in events}
    for return_id in outcome.returns:
        for topic in ("return.created", "return.arrived", "return.completed"):
            assert seen.get((topic, return_id)) == 1, f"{topic} of {return_id}: {seen.get((topic, return_id))}"
    completed = _rows(engine, "SELECT id FROM work_orders WHERE status = 'Completed'")
    for order in completed:
        assert seen.get(("work_order.completed", order.id)) == 1, order.id


def test_a_server_killed_at_random_under_load_keeps_ledger_fees_reservations_and_outbox_consistent(
    engine: Engine, tmp_path: Path
) -> None:
    server = LiveServer(engine.url.render_as_string(hide_password=False), tmp_path / "live").start()
    try:
        cast = _cast(server)
        began = time.monotonic()
        outcome, tally, failures = _drive(server, cast, KILLS, seed=13)
        elapsed = time.monotonic() - began
        assert not failures, failures
        assert tally.server_errors == [], tally.server_errors[:5]
        assert_ledger_matches_on_hand(engine, server, cast)
    finally:
        server.stop()
    assert_each_completed_return_booked_once(engine, outcome)
    assert_reservations_within_quarantine(engine, outcome)
    assert_every_change_has_its_event(engine, outcome)
    in_flight = _rows(engine, "SELECT count(*) AS n FROM idempotency_keys WHERE state <> 'Done'")[0].n
    assert in_flight == 0, "a killed request left its Idempotency-Key in flight"
    assert len(outcome.returns) >= RETURN_CLIENTS and outcome.work_orders, "the traffic never got going"
    events = _rows(engine, "SELECT count(*) AS n FROM outbox_events")[0].n
    print(
        f"\n{KILLS} kills survived in {elapsed:.0f} s by {RETURN_CLIENTS + WORK_ORDER_CLIENTS} clients: "
        f"{tally.requests} requests ({tally.transport_errors} transport errors of which {tally.cut} cut mid-request, "
        f"{tally.retries} retries), "
        f"{len(outcome.returns)} returns completed, {len(outcome.work_orders)} work orders "
        f"({len(outcome.completed_work_orders)} completed, {outcome.refused_work_orders} refused), {events} events"
    )
