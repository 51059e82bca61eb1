"""Two workers on PostgreSQL share the outbox (FOR UPDATE SKIP LOCKED): every event once, none twice."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert, select
from sqlalchemy.orm import Session, sessionmaker

from boomerang.adapters.tables.core import outbox_events
from boomerang.adapters.tables.webhooks import webhook_deliveries
from boomerang.adapters.webhook_sender import HttpWebhookSender
from boomerang.bootstrap import make_uow_factory
from boomerang.config import Settings
from boomerang.domain.ids import new_id
from boomerang.services.clock import utcnow
from boomerang.services.webhook_relay import Relay
from tests.services.webhook_receiver import Receiver, running
from tests.support.builders import Api
from tests.support.concurrency import each_at_once

# A live server, other processes or connections that must meet.
pytestmark = [pytest.mark.postgres, pytest.mark.several_connections]
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

        @contextmanager
        def own_sender() -> Iterator[HttpWebhookSender]:
            sender = HttpWebhookSender(timeout=5.0, allow_private=True)
            try:
                yield sender
            finally:
                sender.close()

        def drain(sender: HttpWebhookSender) -> int:
            return Relay(make_uow_factory(session_factory, settings, utcnow), sender, batch_size=25).drain()

        began = time.perf_counter()
        handled = dict(zip(("a", "b"), each_at_once(own_sender, [drain, drain]), strict=True))
        elapsed = time.perf_counter() - began
    ids = Counter(r.headers["webhook-id"] for r in receiver.received)
    assert len(ids) == EVENTS, "an event was lost"
    assert max(ids.values()) == 1, f"delivered twice: {[k for k, v in ids.items() if v > 1][:5]}"
    assert handled["a"] > 0 and handled["b"] > 0, f"one worker did everything: {handled}"
    with session_factory() as session:
        statuses = Counter(session.execute(select(webhook_deliveries.c.status)).scalars())
    assert statuses == {"Succeeded": EVENTS}
    print(f"\n{EVENTS} events delivered by two workers in {elapsed:.2f} s; work items per worker: {handled}")
