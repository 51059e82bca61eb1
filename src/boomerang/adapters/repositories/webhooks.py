"""Webhook subscriptions, the delivery log, and the relay's claim queries (SKIP LOCKED on PostgreSQL)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import and_, insert, or_, select, update
from sqlalchemy.orm import Session

from boomerang.adapters.repositories.base import Page, keyset_page
from boomerang.adapters.tables.core import outbox_events
from boomerang.adapters.tables.webhooks import webhook_deliveries, webhook_delivery_attempts, webhook_subscriptions
from boomerang.domain.error_codes import WebhookErrorCode
from boomerang.domain.errors import NotFound
from boomerang.domain.webhooks import DeliveryStatus, NewDelivery

subs = webhook_subscriptions
dl = webhook_deliveries
att = webhook_delivery_attempts
ob = outbox_events


class WebhookRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # --- subscriptions (merchant-scoped) ---
    def add_subscription(self, **values: Any) -> None:
        self.session.execute(insert(subs).values(**values))

    def subscription(self, merchant_id: str, subscription_id: str) -> Any:
        row = self.session.execute(
            select(subs).where(
                subs.c.id == subscription_id, subs.c.merchant_id == merchant_id, subs.c.deleted_at.is_(None)
            )
        ).first()
        if row is None:
            raise NotFound(f"webhook {subscription_id} not found", code=WebhookErrorCode.WEBHOOK_NOT_FOUND)
        return row

    def subscriptions(self, merchant_id: str, cursor: str | None, limit: int) -> Page[Any]:
        stmt = select(subs).where(subs.c.merchant_id == merchant_id, subs.c.deleted_at.is_(None))
        return keyset_page(self.session, stmt, subs.c.id, cursor, limit, scalars=False)

    def delete_subscription(self, subscription_id: str, now: datetime) -> None:
        self.session.execute(update(subs).where(subs.c.id == subscription_id).values(deleted_at=now))
        self._fail_pending(subscription_id, "webhook deleted")

    def deliveries(self, subscription_id: str, cursor: str | None, limit: int) -> Page[Any]:
        stmt = select(dl).where(dl.c.subscription_id == subscription_id)
        return keyset_page(self.session, stmt, dl.c.id, cursor, limit, scalars=False)

    def attempts(self, delivery_ids: list[str]) -> dict[str, list[Any]]:
        grouped: dict[str, list[Any]] = defaultdict(list)
        if delivery_ids:
            rows = self.session.execute(
                select(att).where(att.c.delivery_id.in_(delivery_ids)).order_by(att.c.attempted_at, att.c.id)
            )
            for row in rows:
                grouped[row.delivery_id].append(row)
        return grouped

    # --- relay ---
    def undispatched_events(self, limit: int) -> list[Any]:
        """Outbox events not yet fanned out, oldest first, locked so other workers skip them."""
        stmt = (
            select(ob.c.id, ob.c.merchant_id, ob.c.topic, ob.c.created_at)
            .where(ob.c.dispatched_at.is_(None))
            .order_by(ob.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return list(self.session.execute(stmt))

    def live_subscriptions(self, merchant_ids: set[str]) -> dict[str, list[Any]]:
        rows = self.session.execute(
            select(subs).where(
                subs.c.merchant_id.in_(sorted(merchant_ids)),
                subs.c.deleted_at.is_(None),
                subs.c.disabled_at.is_(None),
            )
        )
        grouped: dict[str, list[Any]] = defaultdict(list)
        for row in rows:
            grouped[row.merchant_id].append(row)
        return grouped

    def add_dispatched_event(self, **values: Any) -> None:
        """An outbox event already fanned out by hand (a test event meant for one endpoint)."""
        self.session.execute(insert(ob).values(**values))

    def add_deliveries(self, deliveries: list[NewDelivery]) -> None:
        """Pending deliveries, each due at once."""
        rows = [
            {
                "id": d.id,
                "merchant_id": d.merchant_id,
                "subscription_id": d.subscription_id,
                "event_id": d.event_id,
                "topic": d.topic,
                "status": DeliveryStatus.Pending.value,
                "attempt_count": 0,
                "next_attempt_at": d.created_at,
                "created_at": d.created_at,
            }
            for d in deliveries
        ]
        if rows:
            self.session.execute(insert(dl), rows)

    def mark_dispatched(self, event_ids: list[str], now: datetime) -> None:
        self.session.execute(update(ob).where(ob.c.id.in_(event_ids)).values(dispatched_at=now))

    def claim_due(self, now: datetime, limit: int, lease_until: datetime) -> list[Any]:
        """Due deliveries not leased by another worker; leases them until `lease_until`."""
        due = (
            select(dl.c.id)
            .where(
                dl.c.status == DeliveryStatus.Pending.value,
                dl.c.next_attempt_at <= now,
                or_(dl.c.leased_until.is_(None), dl.c.leased_until < now),
            )
            .order_by(dl.c.next_attempt_at, dl.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        ids = list(self.session.execute(due).scalars())
        if not ids:
            return []
        self.session.execute(update(dl).where(dl.c.id.in_(ids)).values(leased_until=lease_until))
        stmt = (
            select(
                dl,
                subs.c.url,
                subs.c.secret,
                subs.c.failing_since,
                subs.c.disabled_at,
                subs.c.deleted_at,
                ob.c.payload,
                ob.c.created_at.label("event_created_at"),
            )
            .join(subs, subs.c.id == dl.c.subscription_id)
            .join(ob, ob.c.id == dl.c.event_id)
            .where(dl.c.id.in_(ids))
            .order_by(dl.c.next_attempt_at, dl.c.id)
        )
        return list(self.session.execute(stmt))

    def release(self, delivery_ids: list[str]) -> None:
        self.session.execute(update(dl).where(dl.c.id.in_(delivery_ids)).values(leased_until=None))

    def record_attempt(self, **values: Any) -> None:
        self.session.execute(insert(att).values(**values))

    def update_delivery(self, delivery_id: str, **values: Any) -> None:
        self.session.execute(update(dl).where(dl.c.id == delivery_id).values(leased_until=None, **values))

    def mark_endpoint_healthy(self, subscription_id: str) -> None:
        self.session.execute(
            update(subs)
            .where(subs.c.id == subscription_id, subs.c.failing_since.is_not(None))
            .values(failing_since=None)
        )

    def mark_endpoint_failing(self, subscription_id: str, now: datetime) -> datetime:
        """Start the failure clock if it is not running; returns when the failures began."""
        self.session.execute(
            update(subs).where(subs.c.id == subscription_id, subs.c.failing_since.is_(None)).values(failing_since=now)
        )
        return self.session.execute(select(subs.c.failing_since).where(subs.c.id == subscription_id)).scalar_one()

    def enable_endpoint(self, subscription_id: str) -> None:
        """Deliveries resume with new events; the failure clock starts again from zero."""
        self.session.execute(
            update(subs).where(subs.c.id == subscription_id).values(disabled_at=None, failing_since=None)
        )

    def disable_endpoint(self, subscription_id: str, now: datetime) -> None:
        self.session.execute(
            update(subs).where(subs.c.id == subscription_id, subs.c.disabled_at.is_(None)).values(disabled_at=now)
        )
        self._fail_pending(subscription_id, "endpoint disabled after 5 days of failures")

    def _fail_pending(self, subscription_id: str, reason: str) -> None:
        self.session.execute(
            update(dl)
            .where(and_(dl.c.subscription_id == subscription_id, dl.c.status == DeliveryStatus.Pending.value))
            .values(status=DeliveryStatus.Failed.value, next_attempt_at=None, leased_until=None, last_error=reason)
        )
