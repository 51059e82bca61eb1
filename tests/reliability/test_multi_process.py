"""No duplicate work across processes (PostgreSQL): real `boomerang serve`, `boomerang worker` and
`boomerang billing accrue` processes race on the same package, return, outbox and day.

Each race must do its work exactly once: one matched receipt, one arrival and one arrival fee per
package scanned through two API processes at once; one completion (ledger entries, event) per return
completed through both; one delivery per outbox event for two workers draining it; one storage fee
per position and day for two accrual runs."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, insert, text
from sqlalchemy.orm import Session, sessionmaker

from boomerang.adapters.tables.core import outbox_events
from boomerang.domain.ids import new_id
from tests.api.dock import inspect, processing
from tests.reliability.test_worker_faults import _quarantine_positions, _storage_fees, start_worker
from tests.services.webhook_receiver import Receiver, running
from tests.support.builders import Api, FrozenClock
from tests.support.concurrency import each_at_once
from tests.support.live_server import LiveServer

# A live server, other processes or connections that must meet.
pytestmark = [pytest.mark.postgres, pytest.mark.several_connections]

ROUNDS = 5


@pytest.fixture(params=["postgres"])
def db_kind(request: pytest.FixtureRequest) -> str:
    """PostgreSQL only: several processes on one SQLite file is not a supported deployment."""
    return str(request.param)


@pytest.fixture
def two_servers(engine: Engine, tmp_path: Path) -> Iterator[tuple[LiveServer, LiveServer]]:
    url = engine.url.render_as_string(hide_password=False)
    first = LiveServer(url, tmp_path / "api-1").start()
    second = LiveServer(url, tmp_path / "api-2").start()
    try:
        yield first, second
    finally:
        first.stop()
        second.stop()


def _count(engine: Engine, sql: str, **params: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(sql), params).scalar_one())


def _events(engine: Engine, topic: str, return_id: str) -> int:
    sql = "SELECT count(*) FROM outbox_events WHERE topic = :topic AND payload->>'id' = :id"
    return _count(engine, sql, topic=topic, id=return_id)


def _race(servers: tuple[LiveServer, LiveServer], path: str, headers: dict[str, str], body: object) -> list[int]:
    """The same POST sent to both API processes at the same moment; their statuses."""

    def send(client: httpx.Client) -> int:
        return client.post(path, json=body, headers=headers).status_code

    clients = iter([servers[0].client(), servers[1].client()])  # one per thread, each to its own process
    return each_at_once(lambda: next(clients), [send, send])


def test_a_package_scanned_at_two_api_processes_at_once_arrives_once(
    api: Api, two_servers: tuple[LiveServer, LiveServer], engine: Engine
) -> None:
    merchant, fc, operator = api.setup()
    product = api.product(merchant)
    for _ in range(ROUNDS):
        order = api.return_order(merchant, fc["id"], [product])
        body = {"fulfillment_center_id": fc["id"], "scanned": order["reference_id"]}
        statuses = _race(two_servers, "/api/v1/warehouse/receipts", operator.headers, body)
        assert all(s in (201, 409) for s in statuses), statuses
        rid = order["id"]
        matched = "SELECT count(*) FROM receipts WHERE return_id = :id AND outcome = 'matched'"
        assert _count(engine, matched, id=rid) == 1
        arrived = "SELECT count(*) FROM return_status_history WHERE return_id = :id AND status = 'Arrived'"
        assert _count(engine, arrived, id=rid) == 1
        assert _count(engine, "SELECT count(*) FROM transactions WHERE return_id = :id", id=rid) == 1
        assert _events(engine, "return.arrived", rid) == 1


def test_a_return_completed_at_two_api_processes_at_once_completes_once(
    api: Api, two_servers: tuple[LiveServer, LiveServer], engine: Engine
) -> None:
    merchant, fc, operator = api.setup()
    products = [api.product(merchant), api.product(merchant)]
    for _ in range(ROUNDS):
        order = api.return_order(merchant, fc["id"], products)
        processing(api, operator, order)
        for line in order["inventory"]:
            assert inspect(api, operator, order["id"], line["id"]).status_code == 200
        rid = order["id"]
        statuses = _race(two_servers, f"/api/v1/returns/{rid}/complete", operator.headers, None)
        assert sorted(statuses)[0] == 200 and all(s in (200, 409) for s in statuses), statuses
        assert _count(engine, "SELECT count(*) FROM ledger_entries WHERE return_id = :id", id=rid) == len(products)
        done = "SELECT count(*) FROM return_status_history WHERE return_id = :id AND status = 'Completed'"
        assert _count(engine, done, id=rid) == 1
        assert _events(engine, "return.completed", rid) == 1


def _insert_events(session_factory: sessionmaker[Session], merchant_id: str, count: int) -> set[str]:
    rows = [
        {
            "id": new_id("evt"),
            "merchant_id": merchant_id,
            "topic": "return.updated",
            "payload": {"id": f"ret_{i:04d}"},
            "created_at": datetime.now(UTC),
        }
        for i in range(count)
    ]
    with session_factory() as session:
        session.execute(insert(outbox_events), rows)
        session.commit()
    return {row["id"] for row in rows}


def test_two_workers_deliver_each_outbox_event_once(
    api: Api, client: TestClient, session_factory: sessionmaker[Session], engine: Engine, tmp_path: Path
) -> None:
    merchant = api.merchant()
    receiver = Receiver()
    with running(receiver):
        subscription = {"url": receiver.url, "topics": ["return.updated"]}
        assert client.post("/api/v1/webhooks", json=subscription, headers=merchant.headers).status_code == 201
        _insert_events(session_factory, merchant.id, 150)
        workers = [start_worker(engine, tmp_path / f"worker-{n}", "--once") for n in (1, 2)]
        for n, worker in enumerate(workers, 1):
            assert worker.wait(timeout=300) == 0, (tmp_path / f"worker-{n}" / "worker.log").read_text()
    received = Counter(r.headers["webhook-id"] for r in receiver.received)
    assert len(received) == 150, "an event was not delivered"
    assert [k for k, v in received.items() if v > 1] == [], "an event was delivered twice"
    assert _count(engine, "SELECT count(*) FROM webhook_deliveries WHERE status = 'Succeeded'") == 150


def test_two_accrual_runs_of_the_same_day_charge_each_position_once(
    api: Api, session_factory: sessionmaker[Session], clock: FrozenClock, engine: Engine, tmp_path: Path
) -> None:
    positions = _quarantine_positions(api, session_factory, clock)
    day = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
    env = {
        **os.environ,
        "BOOMERANG_DATABASE_URL": engine.url.render_as_string(hide_password=False),
        "BOOMERANG_DATA_DIR": str(tmp_path / "data"),
    }
    command = [str(Path(sys.executable).parent / "boomerang"), "billing", "accrue", "--date", day]
    runs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT) for _ in (1, 2)]
    outputs = [run.communicate(timeout=300)[0].decode(errors="replace") for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    fees = _storage_fees(engine)
    assert len(fees) == positions, f"{len(fees)} charges for {positions} positions: {outputs}"
    assert set(fees.values()) == {1}
