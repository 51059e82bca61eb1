"""Outbound webhook subscriptions (merchant)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from boomerang.entrypoints.api.deps import MerchantUoW
from boomerang.entrypoints.api.schemas.common import Limit, Page
from boomerang.entrypoints.api.schemas.webhooks import DeliveryRead, WebhookCreate, WebhookCreated, WebhookRead
from boomerang.services import webhooks

router = APIRouter(tags=["webhooks"])


@router.post("/webhooks", status_code=201, response_model=WebhookCreated)
def create_webhook(body: WebhookCreate, uow: MerchantUoW) -> dict[str, Any]:
    """Subscribe a URL to topics. Deliveries carry Standard Webhooks headers signed with `secret`."""
    with uow:
        return webhooks.create_subscription(uow, url=body.url, topics=list(body.topics))


@router.get("/webhooks", response_model=Page[WebhookRead])
def list_webhooks(uow: MerchantUoW, cursor: str | None = None, limit: Limit = 50) -> dict[str, Any]:
    with uow:
        return webhooks.list_subscriptions(uow, cursor=cursor, limit=limit)


@router.delete("/webhooks/{webhook_id}", status_code=204)
def delete_webhook(webhook_id: str, uow: MerchantUoW) -> Response:
    with uow:
        webhooks.delete_subscription(uow, subscription_id=webhook_id)
    return Response(status_code=204)


@router.get("/webhooks/{webhook_id}/deliveries", response_model=Page[DeliveryRead])
def list_deliveries(webhook_id: str, uow: MerchantUoW, cursor: str | None = None, limit: Limit = 50) -> dict[str, Any]:
    """The delivery log: one item per event sent to this endpoint, newest first, with every attempt."""
    with uow:
        return webhooks.list_deliveries(uow, subscription_id=webhook_id, cursor=cursor, limit=limit)
