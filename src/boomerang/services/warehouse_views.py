"""API representations of warehouse resources: shipments, receipts, unidentified packages, stock, ledger."""

from __future__ import annotations

from typing import Any

from boomerang.adapters.repositories.stock import StockLine
from boomerang.domain.shipments import Shipment, UnidentifiedPackage
from boomerang.services.views import day, iso, money


def shipment_view(shipment: Shipment) -> dict[str, Any]:
    return {
        "id": shipment.id,
        "store_order_id": shipment.store_order_id,
        "fulfillment_center_id": shipment.fulfillment_center_id,
        "tracking_number": shipment.tracking_number,
        "carrier": shipment.carrier,
        "label_cost": money(shipment.label_cost),
        "destination_country": shipment.destination_country,
        "customer_name": shipment.customer_name,
        "items": [
            {"product_id": i.product_id, "sku": i.sku, "quantity": i.quantity, "lot_number": i.lot_number}
            for i in shipment.items
        ],
        "rts_scanned": shipment.rts_scanned,
        "created_at": iso(shipment.created_at),
    }


def unidentified_view(package: UnidentifiedPackage) -> dict[str, Any]:
    return {
        "id": package.id,
        "fulfillment_center_id": package.fulfillment_center_id,
        "scanned": package.scanned,
        "received_at": iso(package.received_at),
        "note": package.note,
        "photo_ids": list(package.photo_ids),
        "resolved_return_id": package.resolved_return_id,
        "resolved_at": iso(package.resolved_at),
    }


def stock_view(line: StockLine, reserved: int) -> dict[str, Any]:
    return {
        "product_id": line.product_id,
        "sku": line.sku,
        "fulfillment_center_id": line.fulfillment_center_id,
        "lot_number": line.lot_number,
        "expiration_date": day(line.expiration_date),
        "sellable": line.sellable,
        "quarantine": line.quarantine,
        "reserved": reserved,
    }


def ledger_entry_view(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "product_id": row.product_id,
        "fulfillment_center_id": row.fulfillment_center_id,
        "lot_number": row.lot_number,
        "expiration_date": day(row.expiration_date),
        "bucket": str(row.bucket),
        "quantity": row.quantity,
        "reason": row.reason,
        "return_id": row.return_id,
        "work_order_id": row.work_order_id,
        "created_at": iso(row.created_at),
    }
