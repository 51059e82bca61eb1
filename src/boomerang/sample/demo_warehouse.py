"""Demo data for the warehouse floor: returns in every status, outbound shipments, an RTS, a lost package."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from boomerang.domain.money import Money
from boomerang.domain.products import Product
from boomerang.domain.returns import Inspection
from boomerang.domain.shipments import CarrierStatus
from boomerang.domain.tenants import Principal, Role
from boomerang.services import processing, receiving, shipments
from boomerang.services.shipments import NewShipment, ShipmentItemRequest
from boomerang.services.unit_of_work import UnitOfWork

CARRIER = Principal(Role.Integration, credential_id="demo", name="Demo carrier feed")
UnitOfWorkFor = Callable[[Principal], UnitOfWork]
# Demo returns 1000-1006 of each merchant (1007 is cancelled): how far each one gets.
PROGRESS = {1000: "Completed", 1001: "Completed", 1002: "Processing", 1003: "Arrived"}


def load_warehouse_demo(
    uow_factory: UnitOfWorkFor, prefix: str, merchant: Principal, operator: Principal, fc_id: str
) -> None:
    """Move some demo returns along the dock, and register shipments (one comes back RTS)."""
    for number, target in PROGRESS.items():
        _advance(uow_factory, operator, fc_id, f"{prefix}-RMA-{number}", target)
    skus = [f"{prefix}-TENT-2P", f"{prefix}-JACKET-M", f"{prefix}-KAYAK-1"]
    currency = "USD" if prefix == "AC" else "CAD"
    for n, sku in enumerate(skus):
        with uow_factory(merchant) as uow:
            sent = shipments.create_shipment(
                uow,
                command=NewShipment(
                    store_order_id=f"#{7000 + n}",
                    fulfillment_center_id=fc_id,
                    tracking_number=f"1Z{prefix}OUT{800000 + n}",
                    carrier="UPS",
                    label_cost=Money(Decimal("8.40") + n, currency),
                    destination_country="US" if prefix == "AC" else "CA",
                    customer_name=["Eva Novak", "Femi Adeyemi", "Gus Larsen"][n],
                    items=[ShipmentItemRequest(quantity=1 + n % 2, sku=sku)],
                ),
            )
        if n < 2:
            _carrier_event(uow_factory, sent.tracking_number, CarrierStatus.ReturnToSender)
    with uow_factory(operator) as uow:  # the first RTS parcel is back at the dock
        receiving.receive(uow, fulfillment_center_id=fc_id, scanned=f"1Z{prefix}OUT800000")
    with uow_factory(operator) as uow:
        receiving.receive(
            uow, fulfillment_center_id=fc_id, scanned=f"{prefix}-SMUDGED-0001", note="Label torn, blue poly mailer"
        )


def _carrier_event(uow_factory: UnitOfWorkFor, tracking_number: str, status: CarrierStatus) -> None:
    with uow_factory(CARRIER) as uow:
        shipments.record_carrier_event(
            uow,
            tracking_number=tracking_number,
            status=status,
            occurred_at=uow.now - timedelta(days=1),
            description="Delivery refused" if status is CarrierStatus.ReturnToSender else None,
        )


def _advance(uow_factory: UnitOfWorkFor, operator: Principal, fc_id: str, reference_id: str, target: str) -> None:
    with uow_factory(operator) as uow:
        receipt = receiving.receive(uow, fulfillment_center_id=fc_id, scanned=reference_id)
    if receipt.order is None:
        raise RuntimeError(f"the demo package {reference_id} matched no return")
    if target == "Arrived":
        return
    return_id = receipt.order.id
    with uow_factory(operator) as uow:
        order = processing.start_processing(uow, return_id=return_id).order
    for i, line in enumerate(order.lines):
        if target == "Processing" and i > 0:
            break
        with uow_factory(operator) as uow:
            product = uow.products.of_lines([line.product_id])[line.product_id]
            inspection = _inspection(product, line.quantity, uow.now.date(), failed=i == 1)
            processing.record_inspection(uow, return_id=return_id, line_id=line.id, inspection=inspection)
    if target == "Completed":
        with uow_factory(operator) as uow:
            processing.complete_return(uow, return_id=return_id)


def _inspection(product: Product, quantity: int, today: date, failed: bool) -> Inspection:
    steps = len(product.preferences.inspection_steps)
    lot_tracked = product.is_lot_tracked
    return Inspection(
        quantity_received=max(quantity - (1 if failed else 0), 0),
        step_results=tuple(not failed for _ in range(steps)),
        condition_note="Outer box dented" if failed else None,
        lot_number="LOT-2026A" if lot_tracked else None,
        expiration_date=today + timedelta(days=365) if lot_tracked else None,
    )
