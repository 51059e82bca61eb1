"""The relay delivers outbox events to a real local endpoint, signed per Standard Webhooks, with retries."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from boomerang.adapters.repositories.webhooks import WebhookRepository
from boomerang.adapters.webhook_sender import HttpWebhookSender, SendResult
from boomerang.bootstrap import make_uow_factory
from boomerang.config import Settings
from boomerang.domain.webhooks import RETRY_DELAYS
from boomerang.entrypoints import worker
from boomerang.services.clock import Clock, utcnow
from boomerang.services.webhook_relay import Relay
from tests.services.webhook_receiver import Receiver, running
from tests.support.builders import Api, FrozenClock, Merchant


@pytest.fixture
def sender() -> Iterator[HttpWebhookSender]:
    sender = HttpWebhookSender(timeout=2.0, allow_private=True)
    yield sender
    sender.close()


def make_relay(
    session_factory: sessionmaker[Session], settings: Settings, clock: Clock, sender: HttpWebhookSender
) -> Relay:
    return Relay(make_uow_factory(session_factory, settings, clock), sender)


def subscribe(client: TestClient, merchant: Merchant, url: str, topics: list[str]) -> dict[str, Any]:
    response = client.post("/api/v1/webhooks", json={"url": url, "topics": topics}, headers=merchant.headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


def deliveries(client: TestClient, merchant: Merchant, webhook_id: str) -> list[dict[str, Any]]:
    response = client.get(f"/api/v1/webhooks/{webhook_id}/deliveries", headers=merchant.headers)
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


def parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def test_receiver_verifies_signed_deliveries_with_standardwebhooks(
    api: Api, client: TestClient, session_factory: sessionmaker[Session], settings: Settings, sender: HttpWebhookSender
) -> None:
    merchant, fc, _ = api.setup()
    with running(Receiver()) as receiver:
        hook = subscribe(client, merchant, receiver.url, ["return.created", "return.cancelled"])
        order = api.return_order(merchant, fc["id"])
        assert client.post(f"/api/v1/returns/{order['id']}/cancel", headers=merchant.headers).status_code == 200
        handled = make_relay(session_factory, settings, utcnow, sender).drain()  # real time: verify() checks it
    assert handled >= 2
    verifier = Webhook(hook["secret"])
    messages = [verifier.verify(r.body, r.headers) for r in receiver.received]
    assert [(m["type"], m["data"]["id"], m["data"]["status"]) for m in messages] == [
        ("return.created", order["id"], "AwaitingArrival"),
        ("return.cancelled", order["id"], "Cancelled"),
    ]
    assert messages[0]["data"]["reference_id"] == order["reference_id"]
    assert all(r.headers["webhook-signature"].startswith("v1,") for r in receiver.received)
    assert all(r.path == "/hooks/boomerang" for r in receiver.received)
    log = deliveries(client, merchant, hook["id"])
    assert [(d["topic"], d["status"], d["attempt_count"]) for d in log] == [
        ("return.cancelled", "Succeeded", 1),
        ("return.created", "Succeeded", 1),
    ]
    assert log[0]["event_id"] == receiver.received[1].headers["webhook-id"]


def test_a_tampered_delivery_fails_verification(
    api: Api, client: TestClient, session_factory: sessionmaker[Session], settings: Settings, sender: HttpWebhookSender
) -> None:
    merchant, fc, _ = api.setup()
    with running(Receiver()) as receiver:
        hook = subscribe(client, merchant, receiver.url, ["return.created"])
        api.return_order(merchant, fc["id"])
        make_relay(session_factory, settings, utcnow, sender).drain()
    (request,) = receiver.received
    with pytest.raises(WebhookVerificationError):
        Webhook(hook["secret"]).verify(request.body.replace(b"AwaitingArrival", b"Completed"), request.headers)


def test_only_subscribed_topics_of_the_own_merchant_are_delivered(
    api: Api, client: TestClient, session_factory: sessionmaker[Session], settings: Settings, sender: HttpWebhookSender
) -> None:
    merchant, fc, _ = api.setup()
    other = api.merchant()
    with running(Receiver()) as receiver:
        subscribe(client, merchant, receiver.url, ["return.cancelled"])
        api.return_order(merchant, fc["id"])
        api.return_order(other, fc["id"])
        make_relay(session_factory, settings, utcnow, sender).drain()
    assert receiver.received == []


def test_failing_receiver_gets_retries_at_the_scheduled_times(
    api: Api,
    client: TestClient,
    session_factory: sessionmaker[Session],
    settings: Settings,
    clock: FrozenClock,
    sender: HttpWebhookSender,
) -> None:
    merchant, fc, _ = api.setup()
    with running(Receiver(statuses=[500, 503, 500])) as receiver:
        hook = subscribe(client, merchant, receiver.url, ["return.created"])
        api.return_order(merchant, fc["id"])
        relay = make_relay(session_factory, settings, clock, sender)
        start = clock.now
        relay.drain()
        for delay in RETRY_DELAYS[:3]:
            clock.advance(seconds=delay.total_seconds() - 1)
            relay.drain()  # not due yet
            clock.advance(seconds=1)
            relay.drain()
    assert len(receiver.received) == 4
    (delivery,) = deliveries(client, merchant, hook["id"])
    assert delivery["status"] == "Succeeded"
    offsets = [parse_time(a["attempted_at"]) - start for a in delivery["attempts"]]
    expected = [timedelta(0), timedelta(seconds=5), timedelta(minutes=5, seconds=5), timedelta(minutes=35, seconds=5)]
    assert [round(o.total_seconds()) for o in offsets] == [round(e.total_seconds()) for e in expected]
    assert [a["response_status"] for a in delivery["attempts"]] == [500, 503, 500, 204]
    assert len({r.headers["webhook-id"] for r in receiver.received}) == 1
    assert len({r.body for r in receiver.received}) == 1
    for request in receiver.received:  # each retry is freshly signed for its own timestamp
        stamp = datetime.fromtimestamp(int(request.headers["webhook-timestamp"]), tz=start.tzinfo)
        expected_signature = Webhook(hook["secret"]).sign(request.headers["webhook-id"], stamp, request.body.decode())
        assert request.headers["webhook-signature"] == expected_signature


def test_retries_stop_after_the_eighth_attempt(
    api: Api,
    client: TestClient,
    session_factory: sessionmaker[Session],
    settings: Settings,
    clock: FrozenClock,
    sender: HttpWebhookSender,
) -> None:
    merchant, fc, _ = api.setup()
    with running(Receiver(default_status=500)) as receiver:
        hook = subscribe(client, merchant, receiver.url, ["return.created"])
        api.return_order(merchant, fc["id"])
        relay = make_relay(session_factory, settings, clock, sender)
        relay.drain()
        for delay in RETRY_DELAYS:
            clock.advance(seconds=delay.total_seconds())
            relay.drain()
        clock.advance(days=1)
        relay.drain()
    assert len(receiver.received) == 8
    (delivery,) = deliveries(client, merchant, hook["id"])
    assert (delivery["status"], delivery["attempt_count"], delivery["next_attempt_at"]) == ("Failed", 8, None)
    gaps = [
        parse_time(b["attempted_at"]) - parse_time(a["attempted_at"])
        for a, b in zip(delivery["attempts"], delivery["attempts"][1:], strict=False)
    ]
    assert [round(g.total_seconds()) for g in gaps] == [round(d.total_seconds()) for d in RETRY_DELAYS]


def test_endpoint_is_disabled_after_five_days_of_failures(
    api: Api,
    client: TestClient,
    session_factory: sessionmaker[Session],
    settings: Settings,
    clock: FrozenClock,
    sender: HttpWebhookSender,
) -> None:
    merchant, fc, _ = api.setup()
    with running(Receiver(default_status=500)) as receiver:
        hook = subscribe(client, merchant, receiver.url, ["return.created"])
        relay = make_relay(session_factory, settings, clock, sender)
        api.return_order(merchant, fc["id"])
        relay.drain()
        statuses = []
        for _ in range(12):  # a new event every 10 hours, always failing
            clock.advance(hours=10)
            api.return_order(merchant, fc["id"])
            relay.drain()
            statuses.append(client.get("/api/v1/webhooks", headers=merchant.headers).json()["items"][0]["status"])
        assert statuses == ["Active"] * 11 + ["Disabled"]
        received = len(receiver.received)
        clock.advance(hours=1)
        api.return_order(merchant, fc["id"])
        relay.drain()
        assert len(receiver.received) == received
    log = deliveries(client, merchant, hook["id"])
    assert all(d["status"] == "Failed" for d in log)


def test_each_attempt_has_a_timeout(
    api: Api, client: TestClient, session_factory: sessionmaker[Session], settings: Settings, clock: FrozenClock
) -> None:
    merchant, fc, _ = api.setup()
    silent = socket.socket()  # accepts connections (kernel backlog) and never answers
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    port = silent.getsockname()[1]
    sender = HttpWebhookSender(timeout=0.3, allow_private=True)
    try:
        hook = subscribe(client, merchant, f"http://127.0.0.1:{port}/slow", ["return.created"])
        api.return_order(merchant, fc["id"])
        make_relay(session_factory, settings, clock, sender).drain()
    finally:
        sender.close()
        silent.close()
    (delivery,) = deliveries(client, merchant, hook["id"])
    assert delivery["status"] == "Pending"
    assert delivery["error"] == "timed out after 0.3 s"
    assert delivery["response_status"] is None


def test_deleted_webhook_receives_nothing_more(
    api: Api, client: TestClient, session_factory: sessionmaker[Session], settings: Settings, sender: HttpWebhookSender
) -> None:
    merchant, fc, _ = api.setup()
    with running(Receiver()) as receiver:
        hook = subscribe(client, merchant, receiver.url, ["return.created"])
        api.return_order(merchant, fc["id"])
        relay = make_relay(session_factory, settings, utcnow, sender)
        relay.fan_out()
        assert client.delete(f"/api/v1/webhooks/{hook['id']}", headers=merchant.headers).status_code == 204
        relay.drain()
    assert receiver.received == []


def test_worker_once_runs_the_registered_jobs_until_nothing_is_due(
    api: Api, client: TestClient, session_factory: sessionmaker[Session], settings: Settings, sender: HttpWebhookSender
) -> None:
    merchant, fc, _ = api.setup()
    calls: list[int] = []

    def count_calls(ctx: worker.WorkerContext) -> int:
        calls.append(1)
        return 0

    extra = worker.Job("count_calls", count_calls)
    with running(Receiver()) as receiver:
        subscribe(client, merchant, receiver.url, ["return.created"])
        for _ in range(3):
            api.return_order(merchant, fc["id"])
        ctx = worker.WorkerContext(session_factory, settings, utcnow, sender)
        handled = worker.run_once(ctx, [*worker.JOBS, extra])
    assert handled["webhooks"] == 6  # 3 events fanned out + 3 deliveries
    assert handled["count_calls"] == 0 and calls == [1]
    assert len(receiver.received) == 3
    assert [json.loads(r.body)["type"] for r in receiver.received] == ["return.created"] * 3


class SlowFakeSender:
    """Answers 204 but each send 'takes' `seconds` of the injected clock."""

    def __init__(self, clock: FrozenClock, seconds: float) -> None:
        self.clock = clock
        self.seconds = seconds
        self.sent: list[str] = []

    def send(self, url: str, headers: dict[str, str], body: bytes) -> SendResult:
        self.sent.append(headers["webhook-id"])
        self.clock.advance(seconds=self.seconds)
        return SendResult(204, None, int(self.seconds * 1000))


def test_a_leased_delivery_is_not_claimed_by_another_worker_until_the_lease_expires(
    api: Api,
    client: TestClient,
    session_factory: sessionmaker[Session],
    settings: Settings,
    clock: FrozenClock,
) -> None:
    merchant, fc, _ = api.setup()
    subscribe(client, merchant, "http://127.0.0.1:9/hook", ["return.created"])
    api.return_order(merchant, fc["id"])
    first = Relay(make_uow_factory(session_factory, settings, clock), SlowFakeSender(clock, 0))
    first.fan_out()
    with first.uow() as uow:  # worker 1 claims, then "crashes" before sending
        claimed = WebhookRepository(uow.session).claim_due(uow.now, 10, uow.now + first.lease_for(10))
        uow.commit()
    assert len(claimed) == 1
    second_sender = SlowFakeSender(clock, 0)
    second = Relay(make_uow_factory(session_factory, settings, clock), second_sender)
    assert second.deliver_due() == 0
    clock.advance(seconds=first.lease_for(10).total_seconds() + 1)
    assert second.deliver_due() == 1
    assert len(second_sender.sent) == 1


def test_a_worker_that_overruns_its_lease_releases_the_rest(
    api: Api,
    client: TestClient,
    session_factory: sessionmaker[Session],
    settings: Settings,
    clock: FrozenClock,
) -> None:
    merchant, fc, _ = api.setup()
    subscribe(client, merchant, "http://127.0.0.1:9/hook", ["return.created"])
    for _ in range(3):
        api.return_order(merchant, fc["id"])
    relay = Relay(make_uow_factory(session_factory, settings, clock), SlowFakeSender(clock, 0))
    relay.fan_out()
    slow = SlowFakeSender(clock, relay.lease_for(20).total_seconds())  # the first send eats the whole lease
    relay.sender = slow
    assert relay.deliver_due() == 1
    relay.sender = fast = SlowFakeSender(clock, 0)
    assert relay.deliver_due() == 2  # released at once, not after the lease
    assert len(set(slow.sent + fast.sent)) == 3


def test_a_webhook_payload_is_exactly_the_api_response_of_the_change(
    api: Api, client: TestClient, session_factory: sessionmaker[Session], settings: Settings, sender: HttpWebhookSender
) -> None:
    """One source, no drift: the outbox renders with the API's own schema from the same read model."""
    merchant, fc, operator = api.setup()
    with running(Receiver()) as receiver:
        subscribe(client, merchant, receiver.url, ["return.created", "return.arrived"])
        created = api.return_order(merchant, fc["id"], customer_name="Ana Silva", tracking_number="1ZDRIFT0001")
        scan = {"fulfillment_center_id": fc["id"], "scanned": "1ZDRIFT0001"}
        receipt = client.post("/api/v1/warehouse/receipts", json=scan, headers=operator.headers)
        assert receipt.status_code == 201, receipt.text
        arrived = client.get(f"/api/v1/returns/{created['id']}", headers=merchant.headers).json()
        make_relay(session_factory, settings, utcnow, sender).drain()
    data = [json.loads(r.body)["data"] for r in receiver.received]
    assert data == [created, arrived]
    assert arrived["status"] == "Arrived" and arrived["version"] == created["version"] + 1
