"""Inbound integrations: AfterShip Returns and Loop configuration, webhooks and the event log."""

from __future__ import annotations

from enum import StrEnum

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from boomerang.domain.errors import PayloadTooLarge
from boomerang.domain.integrations import InboundResult, Provider
from boomerang.domain.tenants import Principal
from boomerang.entrypoints.http.deps import MerchantUoW
from boomerang.schemas.common import Limit, Page
from boomerang.schemas.webhooks import (
    InboundEventLogRead,
    InboundEventRead,
    IntegrationConfigIn,
    IntegrationConfigRead,
)
from boomerang.services import integrations
from boomerang.services.unit_of_work import UnitOfWork

router = APIRouter(tags=["integrations"])
MAX_INBOUND_BYTES = 1024 * 1024


class ProviderPath(StrEnum):
    aftership = "aftership"
    loop = "loop"


PROVIDERS = {ProviderPath.aftership: Provider.AfterShip, ProviderPath.loop: Provider.Loop}


@router.put("/integrations/{provider}", response_model=IntegrationConfigRead)
def configure_integration(provider: ProviderPath, body: IntegrationConfigIn, uow: MerchantUoW) -> IntegrationConfigRead:
    """Set the webhook secret shared with the portal and the FC its returns are sent to."""
    with uow:
        config = integrations.configure(
            uow,
            provider=PROVIDERS[provider],
            webhook_secret=body.webhook_secret,
            fulfillment_center_id=body.fulfillment_center_id,
        )
    return IntegrationConfigRead.from_domain(config)


@router.get("/integrations/events", response_model=Page[InboundEventLogRead])
def list_inbound_events(
    uow: MerchantUoW,
    provider: Provider | None = None,
    result: InboundResult | None = None,
    cursor: str | None = None,
    limit: Limit = 50,
) -> Page[InboundEventLogRead]:
    """Every signed inbound event with its result (Created, TrackingUpdated, Cancelled, Ignored, Rejected)."""
    with uow:
        page = integrations.list_events(uow, provider=provider, result=result, cursor=cursor, limit=limit)
    items = [InboundEventLogRead.from_domain(r) for r in page.items]
    return Page[InboundEventLogRead](items=items, next_cursor=page.next_cursor)


async def _receive(request: Request, provider: Provider, merchant_id: str) -> InboundEventRead:
    body = await request.body()
    if len(body) > MAX_INBOUND_BYTES:
        raise PayloadTooLarge("webhook bodies are limited to 1 MB")
    state = request.app.state

    def uow_for(principal: Principal) -> UnitOfWork:
        return state.uow_factory(principal)  # type: ignore[no-any-return]

    signature = request.headers.get(integrations.SIGNATURE_HEADERS[provider])
    record = await run_in_threadpool(
        integrations.receive_event, uow_for, provider=provider, merchant_id=merchant_id, body=body, signature=signature
    )
    return InboundEventRead.from_domain(record)


@router.post("/integrations/aftership/{merchant_id}/webhook", response_model=InboundEventRead)
async def aftership_webhook(merchant_id: str, request: Request) -> InboundEventRead:
    """AfterShip Returns events, signed with `as-signature-hmac-sha256` (base64 HMAC-SHA256 of the raw body)."""
    return await _receive(request, Provider.AfterShip, merchant_id)


@router.post("/integrations/loop/{merchant_id}/webhook", response_model=InboundEventRead)
async def loop_webhook(merchant_id: str, request: Request) -> InboundEventRead:
    """Loop events, signed with `X-Loop-Signature` (base64 HMAC-SHA256 of the raw body)."""
    return await _receive(request, Provider.Loop, merchant_id)
