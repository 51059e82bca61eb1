"""Merchant webhook subscriptions: create (secret shown once), list, delete, and the delivery log."""

from __future__ import annotations

from urllib.parse import urlsplit

from boomerang.domain.error_codes import WebhookErrorCode
from boomerang.domain.errors import Conflict, FieldError, ValidationFailed
from boomerang.domain.ids import new_id
from boomerang.domain.webhooks import DeliveryStatus, NewDelivery, new_signing_secret, validate_topics
from boomerang.services.ports.integrations import Webhooks
from boomerang.services.ports.providers import UnsafeUrl
from boomerang.services.queries import Page
from boomerang.services.read_models.webhooks import DeliveryAttempt, DeliveryLog, Endpoint, NewEndpoint
from boomerang.services.unit_of_work import UnitOfWork


def _repo(uow: UnitOfWork) -> Webhooks:
    return uow.webhooks


def _merchant(uow: UnitOfWork) -> str:
    merchant_id = uow.require_merchant()
    return merchant_id


def create_subscription(uow: UnitOfWork, *, url: str, topics: list[str]) -> NewEndpoint:
    """Subscribe an endpoint to topics: the result is the only time the signing secret is shown."""
    try:
        _check_scheme(url, development=uow.settings.environment == "development")
        uow.providers.urls.check_subscription_url(url, allow_private=uow.settings.webhook_allow_private)
    except UnsafeUrl as error:
        raise ValidationFailed(
            str(error), code=WebhookErrorCode.UNSAFE_WEBHOOK_URL, details=[FieldError("url", str(error))]
        )
    subscription_id = new_id("wh")
    secret = new_signing_secret()
    _repo(uow).add_subscription(
        id=subscription_id,
        merchant_id=_merchant(uow),
        url=url,
        topics=validate_topics(topics),
        secret=secret,
        created_at=uow.now,
    )
    uow.commit()
    return NewEndpoint(Endpoint.of(_repo(uow).subscription(_merchant(uow), subscription_id)), secret)


def _check_scheme(url: str, *, development: bool) -> None:
    """Outside development a payload (customer data) and its signature travel only over TLS."""
    if not development and urlsplit(url.strip()).scheme.lower() == "http":
        raise UnsafeUrl("webhook URLs must use https:// (http:// is accepted only in development)")


def list_subscriptions(uow: UnitOfWork, *, cursor: str | None, limit: int) -> Page[Endpoint]:
    """The merchant's endpoints."""
    page = _repo(uow).subscriptions(_merchant(uow), cursor, limit)
    return Page([Endpoint.of(r) for r in page.items], page.next_cursor)


def delete_subscription(uow: UnitOfWork, *, subscription_id: str) -> None:
    """Delete a subscription: stops deliveries; the log stays readable to nobody (404 afterwards)."""
    repo = _repo(uow)
    repo.subscription(_merchant(uow), subscription_id)
    repo.delete_subscription(subscription_id, uow.now)
    uow.commit()


def reenable_subscription(uow: UnitOfWork, *, subscription_id: str) -> None:
    """Turn a disabled endpoint back on (after the merchant fixed it)."""
    repo = _repo(uow)
    repo.subscription(_merchant(uow), subscription_id)
    repo.enable_endpoint(subscription_id)
    uow.commit()


TEST_TOPIC = "webhook.test"


def send_test_event(uow: UnitOfWork, *, subscription_id: str) -> None:
    """Queue one `webhook.test` delivery to this endpoint; the worker sends and logs it like any other."""
    repo = _repo(uow)
    subscription = repo.subscription(_merchant(uow), subscription_id)
    if subscription.disabled_at is not None:
        raise Conflict("the endpoint is disabled; enable it first", code=WebhookErrorCode.WEBHOOK_DISABLED)
    event_id = new_id("evt")
    payload = {"id": event_id, "message": "A test event sent from the Boomerang dashboard"}
    repo.add_dispatched_event(
        id=event_id,
        merchant_id=subscription.merchant_id,
        topic=TEST_TOPIC,
        payload=payload,
        created_at=uow.now,
        dispatched_at=uow.now,
    )
    delivery = NewDelivery(new_id("whd"), subscription.merchant_id, subscription.id, event_id, TEST_TOPIC, uow.now)
    repo.add_deliveries([delivery])
    uow.commit()


def list_deliveries(uow: UnitOfWork, *, subscription_id: str, cursor: str | None, limit: int) -> Page[DeliveryLog]:
    """A subscription's deliveries, newest first, each with its attempts."""
    repo = _repo(uow)
    repo.subscription(_merchant(uow), subscription_id)
    page = repo.deliveries(subscription_id, cursor, limit)
    attempts = repo.attempts([r.id for r in page.items])
    items = [
        DeliveryLog(
            id=r.id,
            event_id=r.event_id,
            topic=r.topic,
            status=DeliveryStatus(r.status),
            attempt_count=r.attempt_count,
            created_at=r.created_at,
            last_attempt_at=r.last_attempt_at,
            next_attempt_at=r.next_attempt_at,
            delivered_at=r.delivered_at,
            response_status=r.last_response_status,
            error=r.last_error,
            attempts=[
                DeliveryAttempt(a.attempted_at, a.succeeded, a.response_status, a.error, a.duration_ms)
                for a in attempts.get(r.id, [])
            ],
        )
        for r in page.items
    ]
    return Page(items, page.next_cursor)
