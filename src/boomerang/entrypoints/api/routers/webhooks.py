"""Outbound webhook subscriptions (merchant)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from boomerang.entrypoints.http.deps import MerchantUoW
from boomerang.schemas.common import Limit, Page
from boomerang.schemas.webhooks import DeliveryRead, WebhookCreate, WebhookCreated, WebhookRead
from boomerang.services import webhooks

router = APIRouter(tags=["webhooks"])


@router.post("/webhooks", status_code=201, response_model=WebhookCreated)
def create_webhook(body: WebhookCreate, uow: MerchantUoW) -> WebhookCreated:
    """Subscribe a URL to topics. Deliveries carry Standard Webhooks headers signed with `secret`."""
    with uow:
        created = webhooks.create_subscription(uow, url=body.url, topics=list(body.topics))
    return WebhookCreated.from_domain(created)


@router.get("/webhooks", response_model=Page[WebhookRead])
def list_webhooks(uow: MerchantUoW, cursor: str | None = None, limit: Limit = 50) -> Page[WebhookRead]:
    with uow:
        page = webhooks.list_subscriptions(uow, cursor=cursor, limit=limit)
    return Page[WebhookRead](items=[WebhookRead.from_domain(e) for e in page.items], next_cursor=page.next_cursor)


@router.delete("/webhooks/{webhook_id}", status_code=204)
def delete_webhook(webhook_id: str, uow: MerchantUoW) -> Response:
    with uow:
        webhooks.delete_subscription(uow, subscription_id=webhook_id)
    return Response(status_code=204)


@router.get("/webhooks/{webhook_id}/deliveries", response_model=Page[DeliveryRead])
def list_deliveries(
    webhook_id: str, uow: MerchantUoW, cursor: str | None = None, limit: Limit = 50
) -> Page[DeliveryRead]:
    """The delivery log: one item per event sent to this endpoint, newest first, with every attempt."""
    with uow:
        page = webhooks.list_deliveries(uow, subscription_id=webhook_id, cursor=cursor, limit=limit)
    return Page[DeliveryRead](items=[DeliveryRead.from_domain(d) for d in page.items], next_cursor=page.next_cursor)
