"""The outbox relay: fans committed events out to subscriptions and delivers them, signed, with retries.

Workers share the work safely: the outbox and the due deliveries are claimed with
`SELECT ... FOR UPDATE SKIP LOCKED` (PostgreSQL; SQLite serializes writers), and a claimed delivery
carries a lease longer than one attempt can take, so no two workers send one message at once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from standardwebhooks import Webhook

from boomerang.domain.ids import new_id
from boomerang.domain.webhooks import DeliveryStatus, NewDelivery, next_attempt_at, should_disable
from boomerang.services.auth import SYSTEM
from boomerang.services.ports.integrations import Webhooks
from boomerang.services.ports.providers import SendResult, WebhookSender
from boomerang.services.unit_of_work import UnitOfWork, UnitOfWorkFactory

DELIVERY_BATCH = 20  # deliveries claimed at once: bounds the lease a crashed worker leaves behind


@dataclass
class Relay:
    uow_factory: UnitOfWorkFactory
    sender: WebhookSender
    batch_size: int = 100

    def uow(self) -> UnitOfWork:
        return self.uow_factory(SYSTEM)

    def clock(self) -> datetime:
        return self.uow_factory.clock()

    @property
    def attempt_budget(self) -> timedelta:
        """The longest one attempt can take (timeout plus connection setup), with a margin."""
        return timedelta(seconds=self.uow_factory.settings.webhook_timeout_seconds + 5)

    def lease_for(self, count: int) -> timedelta:
        """Long enough for `count` attempts in a row, so no other worker re-claims them meanwhile."""
        return self.attempt_budget * count + timedelta(seconds=60)

    def run_once(self) -> int:
        """One batch of fan-out and one batch of deliveries; returns how much work was done."""
        return self.fan_out() + self.deliver_due()

    def drain(self) -> int:
        """Everything due now (used by `boomerang worker --once` and tests)."""
        total = 0
        while done := self.run_once():
            total += done
        return total

    def fan_out(self) -> int:
        """Turn undispatched outbox events into one pending delivery per matching subscription."""
        with self.uow() as uow:
            repo = uow.webhooks
            events = repo.undispatched_events(self.batch_size)
            if not events:
                return 0
            subscriptions = repo.live_subscriptions({e.merchant_id for e in events})
            rows = [
                _new_delivery(event, sub, uow.now)
                for event in events
                for sub in subscriptions.get(event.merchant_id, [])
                if event.topic in sub.topics and sub.created_at <= event.created_at
            ]
            repo.add_deliveries(rows)
            repo.mark_dispatched([e.id for e in events], uow.now)
            uow.commit()
            return len(events)

    def deliver_due(self) -> int:
        """Claim a batch of due deliveries under a lease and attempt each while the lease still covers it."""
        batch = min(self.batch_size, DELIVERY_BATCH)
        with self.uow() as uow:
            lease_until = uow.now + self.lease_for(batch)
            claimed = uow.webhooks.claim_due(uow.now, batch, lease_until)
            uow.commit()
        for i, delivery in enumerate(claimed):
            if self.clock() + self.attempt_budget > lease_until:  # overran: let another worker take the rest
                self._release([d.id for d in claimed[i:]])
                return i
            self._attempt(delivery)
        return len(claimed)

    def _release(self, delivery_ids: list[str]) -> None:
        with self.uow() as uow:
            uow.webhooks.release(delivery_ids)
            uow.commit()

    def _attempt(self, delivery: Any) -> None:
        attempted_at = self.clock()
        if delivery.disabled_at is not None or delivery.deleted_at is not None:
            result = SendResult(None, "endpoint disabled", 0)
        else:
            body = message_body(delivery.topic, delivery.event_created_at, delivery.payload)
            headers = signed_headers(delivery.secret, delivery.event_id, attempted_at, body)
            result = self.sender.send(delivery.url, headers, body)
        with self.uow() as uow:
            _record(uow.webhooks, delivery, result, attempted_at)
            uow.commit()


def message_body(topic: str, created_at: datetime, payload: Any) -> bytes:
    """The Standard Webhooks body: {type, timestamp, data}; identical on every retry."""
    timestamp = created_at.isoformat().replace("+00:00", "Z")
    document = {"type": topic, "timestamp": timestamp, "data": payload}
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode()


def signed_headers(secret: str, message_id: str, at: datetime, body: bytes) -> dict[str, str]:
    """Standard Webhooks headers, signed by the spec's own library (the tests verify with it too)."""
    at = at.astimezone(UTC)
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": Webhook(secret).sign(message_id, at, body.decode()),
        "User-Agent": "Boomerang-Webhooks/1.0",
    }


def _new_delivery(event: Any, subscription: Any, now: datetime) -> NewDelivery:
    return NewDelivery(
        id=new_id("whd"),
        merchant_id=event.merchant_id,
        subscription_id=subscription.id,
        event_id=event.id,
        topic=event.topic,
        created_at=now,
    )


def _record(repo: Webhooks, delivery: Any, result: SendResult, at: datetime) -> None:
    """Log the attempt, schedule the next one (or give up), and track the endpoint's health."""
    attempts = delivery.attempt_count + 1
    repo.record_attempt(
        id=new_id("wha"),
        delivery_id=delivery.id,
        merchant_id=delivery.merchant_id,
        attempted_at=at,
        succeeded=result.succeeded,
        response_status=result.status_code,
        error=result.error,
        duration_ms=result.duration_ms,
    )
    common = {"attempt_count": attempts, "last_attempt_at": at, "last_response_status": result.status_code}
    if result.succeeded:
        repo.update_delivery(
            delivery.id,
            **common,
            status=DeliveryStatus.Succeeded.value,
            next_attempt_at=None,
            delivered_at=at,
            last_error=None,
        )
        repo.mark_endpoint_healthy(delivery.subscription_id)
        return
    retry_at = None if delivery.disabled_at or delivery.deleted_at else next_attempt_at(attempts, at)
    status = DeliveryStatus.Pending if retry_at else DeliveryStatus.Failed
    repo.update_delivery(delivery.id, **common, status=status.value, next_attempt_at=retry_at, last_error=result.error)
    if delivery.disabled_at or delivery.deleted_at:
        return
    failing_since = repo.mark_endpoint_failing(delivery.subscription_id, at)
    if should_disable(failing_since, at):
        repo.disable_endpoint(delivery.subscription_id, at)
