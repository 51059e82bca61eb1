"""Inbound AfterShip Returns and Loop events: verify, deduplicate, then create / track / cancel returns."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from boomerang.domain.error_codes import ErrorCode, IntegrationErrorCode
from boomerang.domain.errors import DomainError, NotFound
from boomerang.domain.ids import new_id
from boomerang.domain.integrations import (
    SIGNATURE_HEADERS,
    InboundEvent,
    InboundResult,
    Provider,
    check_webhook_secret,
    signature_matches,
)
from boomerang.domain.returns import Channel, ReturnOrder, ReturnStatus
from boomerang.domain.tenants import Principal, Role
from boomerang.services.auth import Unauthenticated
from boomerang.services.lookups import known_fulfillment_center
from boomerang.services.ports.integrations import Integrations
from boomerang.services.queries import Page
from boomerang.services.read_models.integrations import InboundEventRecord, IntegrationConfig
from boomerang.services.returns import LineRequest, create_return, require_tracking_number_free
from boomerang.services.unit_of_work import UnitOfWork

UnitOfWorkFor = Callable[[Principal], UnitOfWork]
Outcome = tuple[InboundResult, str | None, str | None]  # result, return id, message


class InvalidSignature(Unauthenticated):
    code: ErrorCode = IntegrationErrorCode.INVALID_SIGNATURE


def integration_principal(provider: Provider, merchant_id: str) -> Principal:
    """The portal acts for the merchant whose secret signed the event."""
    return Principal(
        Role.Merchant, credential_id=f"integration:{provider.value}", name=provider.value, merchant_id=merchant_id
    )


def configure(
    uow: UnitOfWork, *, provider: Provider, webhook_secret: str, fulfillment_center_id: str
) -> IntegrationConfig:
    """Configure a provider integration: the shared secret and the FC new returns go to."""
    check_webhook_secret(webhook_secret)
    merchant_id = uow.require_merchant()
    known_fulfillment_center(uow, fulfillment_center_id)
    repo = uow.integrations
    repo.save_config(
        merchant_id,
        provider,
        webhook_secret=webhook_secret,
        fulfillment_center_id=fulfillment_center_id,
        updated_at=uow.now,
    )
    uow.commit()
    return _config(repo.config(merchant_id, provider))


def _config(row: Any) -> IntegrationConfig:
    provider = Provider(row.provider)
    return IntegrationConfig(
        row.merchant_id, provider, row.fulfillment_center_id, SIGNATURE_HEADERS[provider], row.updated_at
    )


def receive_event(
    uow_for: UnitOfWorkFor, *, provider: Provider, merchant_id: str, body: bytes, signature: str | None
) -> InboundEventRecord:
    """Take an inbound provider event: new events and redeliveries are both accepted (redeliveries change nothing)."""
    with uow_for(integration_principal(provider, merchant_id)) as uow:
        repo = uow.integrations
        try:
            config = repo.config(merchant_id, provider)
        except NotFound:
            raise NotFound(
                f"no {provider.value} integration is configured here",
                code=IntegrationErrorCode.INTEGRATION_NOT_CONFIGURED,
            )
        if not signature_matches(config.webhook_secret, body, signature):
            raise InvalidSignature(f"the {SIGNATURE_HEADERS[provider]} header is missing or does not match the body")
        event = None
        try:
            event = uow.providers.platforms[provider](body)
            return _accept(uow, repo, config, event)
        except DomainError as error:
            uow.rollback()
            _record_rejection(uow_for, merchant_id, provider, body, event, error)
            raise


def _accept(uow: UnitOfWork, repo: Integrations, config: Any, event: InboundEvent) -> InboundEventRecord:
    merchant_id = config.merchant_id
    earlier = repo.accepted(merchant_id, event.provider, event.event_key)
    if earlier is not None:
        return _record(earlier, duplicate=True)
    event_id = new_id("inb")
    claimed = repo.claim(
        id=event_id,
        merchant_id=merchant_id,
        provider=event.provider.value,
        event_key=event.event_key,
        dedup_key=event.event_key,
        event_type=event.event_type,
        external_id=event.external_id,
        received_at=uow.now,
        result=InboundResult.Ignored.value,
        payload=event.payload,
    )
    if not claimed:  # the same event is being (or was just) handled by a concurrent request
        uow.rollback()
        return _record(repo.accepted(merchant_id, event.provider, event.event_key), duplicate=True)
    result, return_id, message = _apply(uow, repo, config, event)
    repo.set_outcome(event_id, result=result.value, return_id=return_id, message=message)
    uow.commit()
    return _record(repo.event(event_id), duplicate=False)


def _apply(uow: UnitOfWork, repo: Integrations, config: Any, event: InboundEvent) -> Outcome:
    """Create, then set tracking, then cancel — whichever the event asks for."""
    order = _linked_return(uow, repo, event)
    if event.create is not None and order is None:
        incoming = event.create
        order = create_return(
            uow,
            reference_id=incoming.reference_id,
            fulfillment_center_id=config.fulfillment_center_id,
            lines=[LineRequest(quantity=line.quantity, sku=line.sku, reason=line.reason) for line in incoming.lines],
            channel=Channel(event.provider.value),
            tracking_number=event.tracking_number,
            store_order_id=incoming.store_order_id,
            customer_name=incoming.customer_name,
        )
        return InboundResult.Created, order.id, f"created return {incoming.reference_id}"
    if order is None:
        return InboundResult.Ignored, None, _nothing_to_do(event)
    if event.cancel:
        return _cancel(uow, order)
    if event.tracking_number and event.tracking_number != order.tracking_number:
        return _set_tracking(uow, order, event.tracking_number)
    return InboundResult.Ignored, order.id, "nothing to change"


def _nothing_to_do(event: InboundEvent) -> str:
    if event.cancel or event.tracking_number:
        return f"no return was created from {event.provider.value} return {event.external_id}"
    return f"{event.event_type} does not change returns"


def _linked_return(uow: UnitOfWork, repo: Integrations, event: InboundEvent) -> ReturnOrder | None:
    if event.external_id is None:
        return None
    merchant_id = uow.require_merchant()
    return_id = repo.created_return_id(merchant_id, event.provider, event.external_id)
    return uow.returns.get(return_id, for_update=True) if return_id else None


def _cancel(uow: UnitOfWork, order: ReturnOrder) -> Outcome:
    if order.status is not ReturnStatus.AwaitingArrival:
        return InboundResult.Ignored, order.id, f"return is {order.status}; only AwaitingArrival returns are cancelled"
    order.cancel(uow.principal.actor, uow.now)
    return InboundResult.Cancelled, order.id, "cancelled"


def _set_tracking(uow: UnitOfWork, order: ReturnOrder, tracking_number: str) -> Outcome:
    if not order.is_editable:
        return InboundResult.Ignored, order.id, f"return is {order.status}; tracking number not changed"
    require_tracking_number_free(uow, order, tracking_number)  # refused (and logged) like a bad create
    order.edit({"tracking_number": tracking_number}, None, [])
    return InboundResult.TrackingUpdated, order.id, f"tracking number set to {tracking_number}"


def _record_rejection(
    uow_for: UnitOfWorkFor,
    merchant_id: str,
    provider: Provider,
    body: bytes,
    event: InboundEvent | None,
    error: DomainError,
) -> None:
    """Log a rejected event without a dedup key, so a redelivery after the fix is processed."""
    with uow_for(integration_principal(provider, merchant_id)) as uow:
        uow.integrations.add_event(
            id=new_id("inb"),
            merchant_id=merchant_id,
            provider=provider.value,
            event_key=event.event_key if event else hashlib.sha256(body).hexdigest(),
            event_type=event.event_type if event else "malformed",
            external_id=event.external_id if event else None,
            received_at=uow.now,
            result=InboundResult.Rejected.value,
            error_code=error.code,
            message=error.message[:500],
            payload=event.payload if event else None,
        )
        uow.commit()


def _record(row: Any, *, duplicate: bool = False) -> InboundEventRecord:
    return InboundEventRecord(
        id=row.id,
        provider=Provider(row.provider),
        event_type=row.event_type,
        event_key=row.event_key,
        external_id=row.external_id,
        received_at=row.received_at,
        result=InboundResult(row.result),
        return_id=row.return_id,
        message=row.message,
        error_code=row.error_code,
        payload=row.payload,
        duplicate=duplicate,
    )


def list_events(
    uow: UnitOfWork, *, provider: Provider | None, result: InboundResult | None, cursor: str | None, limit: int
) -> Page[InboundEventRecord]:
    """Inbound integration events: what arrived and what it did, newest first."""
    merchant_id = uow.require_merchant()
    page = uow.integrations.events(merchant_id, provider, result, cursor, limit)
    return Page([_record(r) for r in page.items], page.next_cursor)
