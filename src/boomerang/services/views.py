"""The API representation of every resource, as JSON-ready dicts.

One rendering serves the REST responses and the webhook payloads, so they never disagree.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from boomerang.domain.disposition import ExpectedDisposition, expected_line
from boomerang.domain.money import Money
from boomerang.domain.products import INSPECTION_LIMITATIONS, Product
from boomerang.domain.return_warnings import ReturnWarning, return_warnings
from boomerang.domain.returns import ActionTaken, ReturnLine, ReturnOrder
from boomerang.domain.tenants import FulfillmentCenter

if TYPE_CHECKING:
    from boomerang.services.unit_of_work import UnitOfWork


def iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.isoformat().replace("+00:00", "Z")


def day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def money(value: Money) -> dict[str, str]:
    return {"amount": value.formatted(), "currency_code": value.currency}


def product_view(product: Product) -> dict[str, Any]:
    return {
        "id": product.id,
        "sku": product.sku,
        "name": product.name,
        "barcodes": list(product.barcodes),
        "category": product.category.value,
        "is_lot_tracked": product.is_lot_tracked,
        "minimum_shelf_life_days": product.minimum_shelf_life_days,
        "is_kitted": product.is_kitted,
        "is_sioc": product.is_sioc,
        "is_dangerous_goods": product.is_dangerous_goods,
        "return_preferences": preferences_view(product),
        "advice": [{"code": a.code, "message": a.message} for a in product.advice()],
        "created_at": iso(product.created_at),
        "updated_at": iso(product.updated_at),
    }


def preferences_view(product: Product) -> dict[str, Any]:
    p = product.preferences
    return {
        "return_action": p.return_action.value,
        "rts_action": p.rts_action.value,
        "backup_action": p.backup_action.value,
        "inspection_steps": list(p.inspection_steps),
        "preferences_configured": p.preferences_configured,
    }


def preferences_detail_view(product: Product) -> dict[str, Any]:
    """A product's return preferences and what an inspection step cannot ask for."""
    return {**preferences_view(product), "inspection_limitations": list(INSPECTION_LIMITATIONS)}


def fulfillment_center_view(fc: FulfillmentCenter) -> dict[str, Any]:
    return {"id": fc.id, "name": fc.name, "country": fc.country}


def action_taken_view(action: ActionTaken) -> dict[str, Any]:
    return {
        "action": action.action.value,
        "action_reason": action.action_reason.value,
        "quantity_processed": action.quantity_processed,
        "lot_number": action.lot_number,
        "expiration_date": day(action.expiration_date),
        "photo_ids": list(action.photo_ids),
    }


def line_view(
    line: ReturnLine, expected: ExpectedDisposition | None, preview: list[ActionTaken] | None = None
) -> dict[str, Any]:
    inspection = line.inspection
    return {
        "id": line.id,
        "product_id": line.product_id,
        "sku": line.sku,
        "name": line.name,
        "quantity": line.quantity,
        "requested_action": line.requested_action.value,
        "action_type": line.action_type.value,
        "reason": line.reason,
        "expected_action": expected.action.value if expected else None,
        "expected_reason": expected.reason.value if expected else None,
        "quantity_received": line.quantity_received,
        "inspection": None
        if inspection is None
        else {
            "quantity_received": inspection.quantity_received,
            "step_results": list(inspection.step_results),
            "instructions_unclear": inspection.instructions_unclear,
            "lot_number": inspection.lot_number,
            "expiration_date": day(inspection.expiration_date),
            "photo_ids": list(inspection.photo_ids),
            "condition_note": inspection.condition_note,
        },
        "actions_taken": [action_taken_view(a) for a in (preview if preview is not None else line.actions_taken)],
    }


def _transactions_by_return(uow: UnitOfWork, return_ids: list[str]) -> dict[str, list[Any]]:
    grouped: dict[str, list[Any]] = defaultdict(list)
    for row in uow.billing.transactions_for_returns(return_ids):
        grouped[row.return_id].append(row)
    return grouped


def transaction_view(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "amount": money(Money(row.amount, row.currency)),
        "transaction_type": row.transaction_type.value,
        "created_at": iso(row.created_at),
        "return_id": row.return_id,
        "work_order_id": row.work_order_id,
    }


def render_returns(uow: UnitOfWork, orders: list[ReturnOrder]) -> list[dict[str, Any]]:
    """Many returns with three extra queries in all (FCs, transactions, products), never one per return."""
    fcs = {fc.id: fc for fc in uow.tenants.fulfillment_centers(sorted({o.fulfillment_center_id for o in orders}))}
    txs = _transactions_by_return(uow, [o.id for o in orders])
    currencies = _merchant_currencies(uow, {o.merchant_id for o in orders})
    products = uow.products.of_lines([line.product_id for o in orders for line in o.lines])
    return [
        return_view(o, fcs[o.fulfillment_center_id], txs.get(o.id, []), currencies[o.merchant_id], products)
        for o in orders
    ]


def _merchant_currencies(uow: UnitOfWork, merchant_ids: set[str]) -> dict[str, str]:
    return {m: uow.tenants.merchant(m).currency_code for m in merchant_ids}


def expected_lines(order: ReturnOrder, products: dict[str, Product]) -> dict[str, ExpectedDisposition]:
    """Each line's expected action, by line id (lines whose product is not at hand have none)."""
    return {
        line.id: expected_line(order, line, products[line.product_id])
        for line in order.lines
        if line.product_id in products
    }


def warning_view(warning: ReturnWarning) -> dict[str, Any]:
    return {"code": warning.code.value, "message": warning.message, "line_id": warning.line_id}


def return_view(
    order: ReturnOrder, fc: FulfillmentCenter, txs: list[Any], currency: str, products: dict[str, Product]
) -> dict[str, Any]:
    label = order.label
    expected = expected_lines(order, products)
    total = sum((Decimal(t.amount) for t in txs), Decimal(0))
    return {
        "id": order.id,
        "reference_id": order.reference_id,
        "status": order.status.value if order.status else None,
        "return_type": order.return_type.value,
        "channel": order.channel.value,
        "fulfillment_center": {"id": fc.id, "name": fc.name},
        "customer_name": order.customer_name,
        "original_shipment_id": order.original_shipment_id,
        "store_order_id": order.store_order_id,
        "tracking_number": order.tracking_number,
        "label": None
        if label is None
        else {
            "type": label.type,
            "carrier": label.carrier,
            "service": label.service,
            "tracking_number": label.tracking_number,
            "cost": money(Money.parse(label.cost_amount, label.currency)),
            "url": f"/api/v1/returns/{order.id}/label.pdf",
        },
        "insert_date": iso(order.insert_date),
        "awaiting_arrival_date": iso(order.awaiting_arrival_date),
        "arrived_date": iso(order.arrived_date),
        "processing_date": iso(order.processing_date),
        "completed_date": iso(order.completed_date),
        "cancelled_date": iso(order.cancelled_date),
        "inventory": [line_view(line, expected.get(line.id)) for line in order.lines],
        "warnings": [warning_view(w) for w in return_warnings(order, products)],
        "transactions": [transaction_view(t) for t in txs],
        "invoice_amount": money(Money(total, currency)),
        "status_history": [
            {"status": h.status.value, "timestamp": iso(h.timestamp), "actor": h.actor} for h in order.status_history
        ],
        "tracking_events": [
            {"status": e.status, "occurred_at": iso(e.occurred_at), "description": e.description}
            for e in order.tracking_events
        ],
        "version": order.version,
    }
