"""Two workers on PostgreSQL share the outbox (FOR UPDATE SKIP LOCKED): every event once, none twice."""

from __future__ import annotations

import threading
import time
from collections import Counter

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert, select
from sqlalchemy.orm import Session, sessionmaker

from boomerang.adapters.tables.core import outbox_events
from boomerang.adapters.tables.webhooks import webhook_deliveries
from boomerang.adapters.webhook_sender import HttpWebhookSender
from boomerang.config import Settings
from boomerang.domain.ids import new_id
from boomerang.services.clock import utcnow
from boomerang.services.webhook_relay import Relay
from tests.factories import Api
from tests.services.webhook_receiver import Receiver, running

pytestmark = pytest.mark.postgres
EVENTS = 1000


@pytest.fixture(params=["postgres"])
def db_kind(request: pytest.FixtureRequest) -> str:
    """PostgreSQL only: SQLite has one writer at a time, so there is nothing to share."""
    return str(request.param)


def _insert_events(session_factory: sessionmaker[Session], merchant_id: str) -> None:
    now = utcnow()
    rows = [
        {
            "id": new_id("evt"),
            "merchant_id": merchant_id,
            "topic": "return.updated",
            "payload": {"id": f"ret_{i:04d}", "n": i},
            "created_at": now,
        }
        for i in range(EVENTS)
    ]
    with session_factory() as session:
        session.execute(insert(outbox_events), rows)
        session.commit()


def test_two_workers_deliver_a_thousand_events_without_duplicates_or_loss(
    api: Api, client: TestClient, session_factory: sessionmaker[Session], settings: Settings
) -> None:
    merchant = api.merchant()
    with running(Receiver()) as receiver:
        response = client.post(
            "/api/v1/webhooks", json={"url": receiver.url, "topics": ["return.updated"]}, headers=merchant.headers
        )
        assert response.status_code == 201
        _insert_events(session_factory, merchant.id)
        handled: dict[str, int] = {}
        start = threading.Barrier(2)

        def work(name: str) -> None:
            sender = HttpWebhookSender(timeout=5.0, allow_private=True)
            relay = Relay(session_factory, settings, utcnow, sender, batch_size=25)
            start.wait()
            handled[name] = relay.drain()
            sender.close()

        began = time.perf_counter()
        threads = [threading.Thread(target=work, args=(name,)) for name in ("a", "b")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - began
    ids = Counter(r.headers["webhook-id"] for r in receiver.received)
    assert len(ids) == EVENTS, "an event was lost"
    assert max(ids.values()) == 1, f"delivered twice: {[k for k, v in ids.items() if v > 1][:5]}"
    assert handled["a"] > 0 and handled["b"] > 0, f"one worker did everything: {handled}"
    with session_factory() as session:
        statuses = Counter(session.execute(select(webhook_deliveries.c.status)).scalars())
    assert statuses == {"Succeeded": EVENTS}
    print(f"\n{EVENTS} events delivered by two workers in {elapsed:.2f} s; work items per worker: {handled}")
