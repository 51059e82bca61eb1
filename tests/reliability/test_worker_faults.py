"""Worker faults on PostgreSQL: a `boomerang worker` process killed (SIGKILL) in the middle of a webhook
batch or of the fee accrual; another worker takes over, and nothing is lost or charged twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, insert, text
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from boomerang.adapters.tables.core import outbox_events
from boomerang.domain.ids import new_id
from tests.api.stock import put_in_quarantine
from tests.services.webhook_receiver import Received, Receiver, running
from tests.support.builders import Api, FrozenClock
from tests.support.postgres import wait_for_lock_waiters

# A live server, other processes or connections that must meet.
pytestmark = [pytest.mark.postgres, pytest.mark.several_connections]

EVENTS = 60
HELD = 27  # the delivery the receiver holds while the worker is killed: inside the second batch of 20
CATCH_UP_DAYS = 7


@pytest.fixture(params=["postgres"])
def db_kind(request: pytest.FixtureRequest) -> str:
    """PostgreSQL only: workers share the outbox and the accrual through row locks."""
    return str(request.param)


class HoldingReceiver(Receiver):
    """Answers 204, except that the `hold_at`-th request is held (no answer) until `release` is set."""

    def __init__(self, hold_at: int) -> None:
        super().__init__()
        self.hold_at = hold_at
        self.holding = threading.Event()
        self.release = threading.Event()

    def _next_status(self, request: Received) -> int:
        status = super()._next_status(request)
        if len(self.received) == self.hold_at:
            self.holding.set()
            self.release.wait(timeout=300)
        return status


def start_worker(engine: Engine, data_dir: Path, *args: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "BOOMERANG_DATABASE_URL": engine.url.render_as_string(hide_password=False),
        "BOOMERANG_DATA_DIR": str(data_dir),
        "BOOMERANG_WEBHOOK_ALLOW_PRIVATE": "true",
    }
    data_dir.mkdir(parents=True, exist_ok=True)
    command = [str(Path(sys.executable).parent / "boomerang"), "worker", *args]
    with open(data_dir / "worker.log", "ab") as log:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)


def kill(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)


def drain_with_another_worker(engine: Engine, data_dir: Path) -> None:
    worker = start_worker(engine, data_dir, "--once")
    assert worker.wait(timeout=300) == 0, (data_dir / "worker.log").read_text()


def _insert_events(session_factory: sessionmaker[Session], merchant_id: str) -> None:
    now = datetime.now(UTC)
    rows = [
        {
            "id": new_id("evt"),
            "merchant_id": merchant_id,
            "topic": "return.updated",
            "payload": {"id": f"ret_{i:04d}"},
            "created_at": now,
        }
        for i in range(EVENTS)
    ]
    with session_factory() as session:
        session.execute(insert(outbox_events), rows)
        session.commit()


def _let_the_dead_workers_lease_run_out(engine: Engine) -> None:
    """Stands for the time passing until the killed worker's lease ends (minutes), after which any worker may
    claim what it held; nothing else about the rows is touched."""
    past = datetime.now(UTC) - timedelta(seconds=1)
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE webhook_deliveries SET leased_until = :past WHERE leased_until > :past"), {"past": past}
        )


def test_a_worker_killed_mid_batch_loses_no_webhook_and_resends_only_the_one_in_flight(
    api: Api, client: TestClient, session_factory: sessionmaker[Session], engine: Engine, tmp_path: Path
) -> None:
    merchant = api.merchant()
    receiver = HoldingReceiver(hold_at=HELD)
    with running(receiver):
        subscription = {"url": receiver.url, "topics": ["return.updated"]}
        assert client.post("/api/v1/webhooks", json=subscription, headers=merchant.headers).status_code == 201
        _insert_events(session_factory, merchant.id)
        first = start_worker(engine, tmp_path / "first")
        try:
            assert receiver.holding.wait(timeout=300), (tmp_path / "first" / "worker.log").read_text()
        finally:
            kill(first)
        receiver.release.set()
        held = receiver.received[HELD - 1].headers["webhook-id"]
        _let_the_dead_workers_lease_run_out(engine)
        drain_with_another_worker(engine, tmp_path / "second")
    deliveries = Counter(r.headers["webhook-id"] for r in receiver.received)
    assert len(deliveries) == EVENTS, "an event was lost"
    assert {k: v for k, v in deliveries.items() if v > 1} == {held: 2}, "only the unanswered send may repeat"
    with engine.connect() as conn:
        statuses = Counter(conn.execute(text("SELECT status FROM webhook_deliveries")).scalars())
    assert statuses == {"Succeeded": EVENTS}
    print(f"\n{EVENTS} events, worker killed after {HELD} sends; {sum(deliveries.values())} requests received")


def _quarantine_positions(api: Api, session_factory: sessionmaker[Session], clock: FrozenClock) -> int:
    """Three merchants with two quarantined products each, in quarantine for ten days."""
    positions = 0
    since = datetime.now(UTC) - timedelta(days=10)
    for _ in range(3):
        merchant, fc, _operator = api.setup()
        for _ in range(2):
            product = api.product(merchant)
            put_in_quarantine(
                session_factory,
                clock,
                merchant_id=merchant.id,
                product_id=product["id"],
                fc_id=fc["id"],
                quantity=4,
                at=since,
            )
            positions += 1
    return positions


def _storage_fees(engine: Engine) -> Counter[str]:
    with engine.connect() as conn:
        keys = conn.execute(
            text("SELECT dedup_key FROM transactions WHERE transaction_type = 'QuarantineStorageFee'")
        ).scalars()
        return Counter(str(key) for key in keys)


def test_a_worker_killed_mid_accrual_leaves_each_day_charged_exactly_once_after_another_worker_runs(
    api: Api, session_factory: sessionmaker[Session], clock: FrozenClock, engine: Engine, tmp_path: Path
) -> None:
    positions = _quarantine_positions(api, session_factory, clock)
    outsider = create_engine(engine.url, poolclass=NullPool)
    try:
        with outsider.connect() as locker:
            locker.execute(text("LOCK TABLE transactions IN SHARE MODE"))  # the first charge waits here
            first = start_worker(engine, tmp_path / "first", "--once")
            try:
                wait_for_lock_waiters(locker, timeout=120, who="the worker")
            finally:
                kill(first)
            locker.rollback()
    finally:
        outsider.dispose()
    assert _storage_fees(engine) == Counter(), "the killed worker's day was not rolled back"
    drain_with_another_worker(engine, tmp_path / "second")
    drain_with_another_worker(engine, tmp_path / "third")  # a rerun charges nothing more
    fees = _storage_fees(engine)
    assert len(fees) == positions * CATCH_UP_DAYS, f"{len(fees)} charges for {positions} positions"
    assert set(fees.values()) == {1}
