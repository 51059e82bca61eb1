"""Outbound shipments (registered by merchants) and the carrier tracking events about them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from boomerang.domain.countries import is_country
from boomerang.domain.errors import FieldError, ValidationFailed
from boomerang.domain.ids import new_id
from boomerang.domain.money import Money
from boomerang.domain.queries import Page
from boomerang.domain.returns import TrackingEvent
from boomerang.domain.shipments import CarrierStatus, Shipment, ShipmentItem
from boomerang.services.lookups import known_fulfillment_center
from boomerang.services.read_models.warehouse import CarrierEventRecorded
from boomerang.services.returns import LineRequest, resolve_lines
from boomerang.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class ShipmentItemRequest:
    """One item of a new shipment: a product by id or SKU, and its lot number if it has one."""

    quantity: int
    product_id: str | None = None
    sku: str | None = None
    lot_number: str | None = None


def _items(uow: UnitOfWork, merchant_id: str, requests: list[ShipmentItemRequest]) -> list[ShipmentItem]:
    errors = [
        FieldError(f"items[{i}].quantity", "quantity must be at least 1")
        for i, r in enumerate(requests)
        if r.quantity < 1
    ]
    if not requests:
        errors.append(FieldError("items", "a shipment has at least one item"))
    if errors:
        raise ValidationFailed("invalid shipment items", details=errors)
    specs = resolve_lines(uow, merchant_id, [LineRequest(r.quantity, r.product_id, r.sku) for r in requests], "items")
    return [
        ShipmentItem(spec.product_id, spec.sku, spec.name, spec.quantity, request.lot_number or None)
        for spec, request in zip(specs, requests, strict=True)
    ]


@dataclass(frozen=True)
class NewShipment:
    """An order the merchant shipped from one of our FCs: registered so that it can come back as a return."""

    store_order_id: str
    fulfillment_center_id: str
    tracking_number: str
    carrier: str
    label_cost: Money
    destination_country: str
    customer_name: str | None
    items: list[ShipmentItemRequest]


def create_shipment(uow: UnitOfWork, *, command: NewShipment) -> Shipment:
    """Record an order we shipped; an RTS scan that came before it still counts."""
    merchant_id = uow.require_merchant()
    if not is_country(command.destination_country):
        raise ValidationFailed(
            "unknown country",
            details=[FieldError("destination_country", "an ISO 3166-1 alpha-2 country code")],
        )
    known_fulfillment_center(uow, command.fulfillment_center_id)
    shipment = Shipment(
        id=new_id("shp"),
        merchant_id=merchant_id,
        fulfillment_center_id=command.fulfillment_center_id,
        store_order_id=command.store_order_id,
        tracking_number=command.tracking_number,
        carrier=command.carrier,
        label_cost=command.label_cost,
        destination_country=command.destination_country,
        customer_name=command.customer_name,
        created_at=uow.now,
        items=_items(uow, merchant_id, command.items),
        rts_scanned=uow.shipments.has_rts_scan(command.tracking_number),
    )
    uow.shipments.add(shipment)
    uow.commit()
    return shipment


def get_shipment(uow: UnitOfWork, *, shipment_id: str) -> Shipment:
    return uow.shipments.get(shipment_id)


def list_shipments(uow: UnitOfWork, *, tracking_number: str | None, cursor: str | None, limit: int) -> Page[Shipment]:
    """The merchant's shipments, newest first."""
    return uow.shipments.list(tracking_number, cursor, limit)


def record_carrier_event(
    uow: UnitOfWork,
    *,
    tracking_number: str,
    status: CarrierStatus,
    occurred_at: datetime,
    description: str | None,
) -> CarrierEventRecorded:
    """Record a carrier tracking event: kept always; RTS flags shipments, and returns get a tracking event."""
    uow.shipments.add_carrier_scan(
        id=new_id("csc"),
        tracking_number=tracking_number,
        status=status.value,
        occurred_at=occurred_at,
        description=description,
        received_at=uow.now,
    )
    flagged = uow.shipments.mark_return_to_sender(tracking_number) if status is CarrierStatus.ReturnToSender else 0
    orders = uow.receipts.returns_by_tracking_any_merchant(tracking_number)
    for order in orders:
        order.record_tracking_event(TrackingEvent(tracking_number, status.value, occurred_at, description))
    uow.commit()
    return CarrierEventRecorded(tracking_number, status, flagged, len(orders))
