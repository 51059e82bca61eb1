"""Our API representation of a return -> ShipBob's PublicReturnDto / PublicReturnV1Dto."""

from __future__ import annotations

from typing import Any

from boomerang.domain.products import Product
from boomerang.services.compat_numbers import NumberKind
from boomerang.services.compat_shipbob import Presented


def timestamp(value: str | None) -> str | None:
    """Our timestamps end in "Z"; ShipBob clients get the same instant with an explicit offset."""
    if value is None:
        return None
    return value[:-1] + "+00:00" if value.endswith("Z") else value


def day_start(value: str | None) -> str | None:
    return None if value is None else f"{value}T00:00:00+00:00"


def _amount(money: dict[str, str]) -> float:
    return float(money["amount"])


def _action_requested(line: dict[str, Any], product: Product | None) -> dict[str, Any]:
    steps = list(product.preferences.inspection_steps) if product else []
    return {
        "action": line["requested_action"],
        "action_type": line["action_type"],
        "instructions": "\n".join(steps) or None,
    }


def _actions_taken(line: dict[str, Any], photo_base: str) -> list[dict[str, Any]]:
    inspection_photos = (line.get("inspection") or {}).get("photo_ids") or []
    taken = []
    for action in line["actions_taken"]:
        photos = action["photo_ids"] or inspection_photos
        taken.append(
            {
                "action": action["action"],
                "action_reason": action["action_reason"],
                "image_url": f"{photo_base}/{photos[0]}" if photos else None,
                "quantity_processed": action["quantity_processed"],
            }
        )
    return taken


def _lot_information(line: dict[str, Any], product: Product | None) -> dict[str, Any]:
    inspection = line.get("inspection") or {}
    lots = [a for a in line["actions_taken"] if a["lot_number"]]
    number = inspection.get("lot_number") or (lots[0]["lot_number"] if lots else None)
    expiration = inspection.get("expiration_date") or (lots[0]["expiration_date"] if lots else None)
    lot_tracked = product is not None and product.is_lot_tracked
    return {
        "expiration": day_start(expiration),
        "minimumShelfLife": product.minimum_shelf_life_days if lot_tracked and product else None,
        "number": number,
    }


def _inventory_v1(line: dict[str, Any], p: Presented, photo_base: str) -> dict[str, Any]:
    product = p.products.get(line["product_id"])
    return {
        "action_requested": _action_requested(line, product),
        "action_taken": _actions_taken(line, photo_base),
        "id": p.numbers[NumberKind.product][line["product_id"]],
        "name": line["name"],
        "quantity": line["quantity"],
    }


def _inventory(line: dict[str, Any], p: Presented, photo_base: str) -> dict[str, Any]:
    product = p.products.get(line["product_id"])
    return {
        **_inventory_v1(line, p, photo_base),
        "barcodes": list(product.barcodes) if product else [],
        "lot_information": _lot_information(line, product),
        "sku": line["sku"],
    }


def _common(view: dict[str, Any], p: Presented) -> dict[str, Any]:
    shipment = view["original_shipment_id"]
    label = view.get("label") or {}
    return {
        "channel": {"id": p.channel_number, "name": view["channel"]},
        "completed_date": timestamp(view["completed_date"]),
        "customer_name": view["customer_name"],
        "fulfillment_center": {
            "id": p.numbers[NumberKind.fulfillment_center][view["fulfillment_center"]["id"]],
            "name": view["fulfillment_center"]["name"],
        },
        "id": p.numbers[NumberKind.return_][view["id"]],
        "insert_date": timestamp(view["insert_date"]),
        "original_shipment_id": p.numbers[NumberKind.shipment][shipment] if shipment else None,
        "reference_id": view["reference_id"],
        "return_type": view["return_type"],
        "status": view["status"],
        "store_order_id": view["store_order_id"],
        "tracking_number": view["tracking_number"] or label.get("tracking_number"),
        "transactions": [
            {"amount": _amount(t["amount"]), "transaction_type": t["transaction_type"]} for t in view["transactions"]
        ],
    }


def public_return_v1(view: dict[str, Any], p: Presented, photo_base: str) -> dict[str, Any]:
    """The answer of POST /return and PUT /return/{id}."""
    return {
        **_common(view, p),
        "inventory": [_inventory_v1(line, p, photo_base) for line in view["inventory"]],
        "invoice_amount": _amount(view["invoice_amount"]),
    }


def public_return(view: dict[str, Any], p: Presented, photo_base: str) -> dict[str, Any]:
    """The answer of GET /return/{id} and each item of GET /return."""
    return {
        **_common(view, p),
        "arrived_date": timestamp(view["arrived_date"]),
        "awaiting_arrival_date": timestamp(view["awaiting_arrival_date"]),
        "cancelled_date": timestamp(view["cancelled_date"]),
        "inventory": [_inventory(line, p, photo_base) for line in view["inventory"]],
        "invoice": {
            "amount": _amount(view["invoice_amount"]),
            "currency_code": view["invoice_amount"]["currency_code"],
        },
        "processing_date": timestamp(view["processing_date"]),
        "shipment_tracking_number": p.shipment_tracking.get(view["original_shipment_id"] or ""),
        "status_history": [
            {"status": h["status"], "timestamp": timestamp(h["timestamp"])} for h in view["status_history"]
        ],
    }
