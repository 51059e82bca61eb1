"""Outbound shipments (merchant) and carrier tracking events (integration)."""

from __future__ import annotations

from datetime import UTC
from typing import Annotated

from fastapi import APIRouter, Query

from boomerang.domain.money import Money
from boomerang.entrypoints.http.deps import IntegrationUoW, MerchantUoW
from boomerang.schemas.common import Limit, Page
from boomerang.schemas.warehouse import (
    CarrierEventAccepted,
    CarrierEventIn,
    ShipmentCreate,
    ShipmentRead,
)
from boomerang.services import shipments
from boomerang.services.shipments import NewShipment, ShipmentItemRequest

router = APIRouter(tags=["shipments"])


@router.post("/shipments", status_code=201, response_model=ShipmentRead)
def create_shipment(body: ShipmentCreate, uow: MerchantUoW) -> ShipmentRead:
    with uow:
        shipment = shipments.create_shipment(
            uow,
            command=NewShipment(
                store_order_id=body.store_order_id,
                fulfillment_center_id=body.fulfillment_center_id,
                tracking_number=body.tracking_number,
                carrier=body.carrier,
                label_cost=Money.parse(body.label_cost.amount, body.label_cost.currency_code),
                destination_country=body.destination_country,
                customer_name=body.customer_name,
                items=[ShipmentItemRequest(**item.model_dump()) for item in body.items],
            ),
        )
    return ShipmentRead.from_domain(shipment)


@router.get("/shipments", response_model=Page[ShipmentRead])
def list_shipments(
    uow: MerchantUoW,
    tracking_number: Annotated[str | None, Query(max_length=100)] = None,
    cursor: str | None = None,
    limit: Limit = 50,
) -> Page[ShipmentRead]:
    """Newest first."""
    with uow:
        page = shipments.list_shipments(uow, tracking_number=tracking_number, cursor=cursor, limit=limit)
    return Page[ShipmentRead](items=[ShipmentRead.from_domain(s) for s in page.items], next_cursor=page.next_cursor)


@router.get("/shipments/{shipment_id}", response_model=ShipmentRead)
def get_shipment(shipment_id: str, uow: MerchantUoW) -> ShipmentRead:
    with uow:
        shipment = shipments.get_shipment(uow, shipment_id=shipment_id)
    return ShipmentRead.from_domain(shipment)


@router.post("/carrier-events", status_code=202, response_model=CarrierEventAccepted, tags=["integrations"])
def carrier_event(body: CarrierEventIn, uow: IntegrationUoW) -> CarrierEventAccepted:
    """A carrier tracking update; unknown tracking numbers are kept for shipments registered later."""
    with uow:
        recorded = shipments.record_carrier_event(
            uow,
            tracking_number=body.tracking_number,
            status=body.status,
            occurred_at=body.occurred_at.astimezone(UTC),
            description=body.description,
        )
    return CarrierEventAccepted.from_domain(recorded)
