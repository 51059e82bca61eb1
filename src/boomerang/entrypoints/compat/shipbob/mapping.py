"""A return as our services give it (`ReturnView`) -> ShipBob's PublicReturnDto / PublicReturnV1Dto."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from boomerang.domain.money import Money
from boomerang.domain.products import Product
from boomerang.domain.returns import ReturnLine
from boomerang.services.compat_numbers import NumberKind
from boomerang.services.compat_shipbob import Presented
from boomerang.services.read_models.returns import ReturnView


def timestamp(value: datetime | None) -> str | None:
    """ShipBob clients get every instant with an explicit offset (`+00:00`), where our API writes `Z`."""
    return None if value is None else value.isoformat()


def day_start(value: date | None) -> str | None:
    return None if value is None else f"{value.isoformat()}T00:00:00+00:00"


def _amount(money: Money) -> float:
    return float(money.formatted())


def _action_requested(line: ReturnLine, product: Product | None) -> dict[str, Any]:
    steps = list(product.preferences.inspection_steps) if product else []
    return {
        "action": line.requested_action.value,
        "action_type": line.action_type.value,
        "instructions": "\n".join(steps) or None,
    }


def _actions_taken(line: ReturnLine, photo_base: str) -> list[dict[str, Any]]:
    inspection_photos = list(line.inspection.photo_ids) if line.inspection else []
    taken = []
    for action in line.actions_taken:
        photos = list(action.photo_ids) or inspection_photos
        taken.append(
            {
                "action": action.action.value,
                "action_reason": action.action_reason.value,
                "image_url": f"{photo_base}/{photos[0]}" if photos else None,
                "quantity_processed": action.quantity_processed,
            }
        )
    return taken


def _lot_information(line: ReturnLine, product: Product | None) -> dict[str, Any]:
    inspection = line.inspection
    lots = [a for a in line.actions_taken if a.lot_number]
    number = (inspection.lot_number if inspection else None) or (lots[0].lot_number if lots else None)
    expiration = (inspection.expiration_date if inspection else None) or (lots[0].expiration_date if lots else None)
    lot_tracked = product is not None and product.is_lot_tracked
    return {
        "expiration": day_start(expiration),
        "minimumShelfLife": product.minimum_shelf_life_days if lot_tracked and product else None,
        "number": number,
    }


def _inventory_v1(line: ReturnLine, p: Presented, photo_base: str) -> dict[str, Any]:
    product = p.products.get(line.product_id)
    return {
        "action_requested": _action_requested(line, product),
        "action_taken": _actions_taken(line, photo_base),
        "id": p.numbers[NumberKind.product][line.product_id],
        "name": line.name,
        "quantity": line.quantity,
    }


def _inventory(line: ReturnLine, p: Presented, photo_base: str) -> dict[str, Any]:
    product = p.products.get(line.product_id)
    return {
        **_inventory_v1(line, p, photo_base),
        "barcodes": list(product.barcodes) if product else [],
        "lot_information": _lot_information(line, product),
        "sku": line.sku,
    }


def _common(view: ReturnView, p: Presented) -> dict[str, Any]:
    order, fc = view.order, view.fulfillment_center
    shipment = order.original_shipment_id
    return {
        "channel": {"id": p.channel_number, "name": order.channel.value},
        "completed_date": timestamp(order.completed_date),
        "customer_name": order.customer_name,
        "fulfillment_center": {"id": p.numbers[NumberKind.fulfillment_center][fc.id], "name": fc.name},
        "id": p.numbers[NumberKind.return_][order.id],
        "insert_date": timestamp(order.insert_date),
        "original_shipment_id": p.numbers[NumberKind.shipment][shipment] if shipment else None,
        "reference_id": order.reference_id,
        "return_type": order.return_type.value,
        "status": order.status.value if order.status else None,
        "store_order_id": order.store_order_id,
        "tracking_number": order.tracking_number or (order.label.tracking_number if order.label else None),
        "transactions": [
            {"amount": _amount(t.amount), "transaction_type": t.transaction_type.value} for t in view.transactions
        ],
    }


def public_return_v1(view: ReturnView, p: Presented, photo_base: str) -> dict[str, Any]:
    """The answer of POST /return and PUT /return/{id}."""
    return {
        **_common(view, p),
        "inventory": [_inventory_v1(line, p, photo_base) for line in view.order.lines],
        "invoice_amount": _amount(view.invoice_amount),
    }


def public_return(view: ReturnView, p: Presented, photo_base: str) -> dict[str, Any]:
    """The answer of GET /return/{id} and each item of GET /return."""
    order = view.order
    return {
        **_common(view, p),
        "arrived_date": timestamp(order.arrived_date),
        "awaiting_arrival_date": timestamp(order.awaiting_arrival_date),
        "cancelled_date": timestamp(order.cancelled_date),
        "inventory": [_inventory(line, p, photo_base) for line in order.lines],
        "invoice": {"amount": _amount(view.invoice_amount), "currency_code": view.invoice_amount.currency},
        "processing_date": timestamp(order.processing_date),
        "shipment_tracking_number": p.shipment_tracking.get(order.original_shipment_id or ""),
        "status_history": [
            {"status": change.status.value, "timestamp": timestamp(change.timestamp)} for change in order.status_history
        ],
    }
