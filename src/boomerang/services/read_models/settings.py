"""Settings as the dashboard shows them: API keys, webhook endpoints and deliveries, AfterShip/Loop."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from boomerang.domain.errors import NotFound
from boomerang.domain.integrations import Provider
from boomerang.domain.tenants import FulfillmentCenter
from boomerang.services.api_keys import ApiKey, list_api_keys
from boomerang.services.integrations import SIGNATURE_HEADERS
from boomerang.services.read_models.webhooks import Endpoint
from boomerang.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Delivery:
    id: str
    topic: str
    status: str
    attempt_count: int
    created_at: datetime
    last_attempt_at: datetime | None
    response_status: int | None
    error: str | None


@dataclass(frozen=True)
class IntegrationSetup:
    provider: Provider
    signature_header: str
    fulfillment_center_id: str | None
    configured_at: datetime | None


@dataclass(frozen=True)
class SettingsView:
    api_keys: list[ApiKey]
    endpoints: list[Endpoint]
    integrations: list[IntegrationSetup]
    fulfillment_centers: list[FulfillmentCenter]


def settings_view(uow: UnitOfWork) -> SettingsView:
    merchant_id = uow.principal.merchant_id or ""
    webhooks = uow.webhooks
    endpoints = [Endpoint.of(r) for r in webhooks.subscriptions(merchant_id, None, 100).items]
    repo = uow.integrations
    integrations = []
    for provider in Provider:
        try:
            row = repo.config(merchant_id, provider)
        except NotFound:
            row = None
        integrations.append(
            IntegrationSetup(
                provider,
                SIGNATURE_HEADERS[provider],
                row.fulfillment_center_id if row else None,
                row.updated_at if row else None,
            )
        )
    return SettingsView(list_api_keys(uow), endpoints, integrations, uow.tenants.fulfillment_centers())


def endpoint_deliveries(
    uow: UnitOfWork, *, subscription_id: str, cursor: str | None
) -> tuple[Endpoint, list[Delivery], str | None]:
    """One endpoint of the merchant (404 otherwise) and a page of its delivery log, newest first."""
    repo = uow.webhooks
    r = repo.subscription(uow.principal.merchant_id or "", subscription_id)
    endpoint = Endpoint.of(r)
    page = repo.deliveries(subscription_id, cursor, 50)
    deliveries = [
        Delivery(
            d.id,
            d.topic,
            d.status,
            d.attempt_count,
            d.created_at,
            d.last_attempt_at,
            d.last_response_status,
            d.last_error,
        )
        for d in page.items
    ]
    return endpoint, deliveries, page.next_cursor
