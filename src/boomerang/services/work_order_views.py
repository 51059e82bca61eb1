"""The API representation of work orders (REST responses and `work_order.completed` payloads)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from boomerang.domain.work_orders import WorkOrder
from boomerang.services.views import day, iso

if TYPE_CHECKING:
    from boomerang.services.unit_of_work import UnitOfWork


def render_work_orders(uow: UnitOfWork, orders: list[WorkOrder]) -> list[dict[str, Any]]:
    skus = {p.id: p.sku for p in uow.products.by_ids(sorted({i.product_id for o in orders for i in o.items})).values()}
    return [work_order_view(order, skus) for order in orders]


def work_order_view(order: WorkOrder, skus: dict[str, str]) -> dict[str, Any]:
    return {
        "id": order.id,
        "type": order.type.value,
        "status": order.status.value if order.status else None,
        "fulfillment_center_id": order.fulfillment_center_id,
        "items": [
            {
                "id": item.id,
                "product_id": item.product_id,
                "sku": skus.get(item.product_id),
                "lot_number": item.lot_number,
                "expiration_date": day(item.expiration_date),
                "quantity": item.quantity,
                "quantity_picked": item.quantity_picked,
            }
            for item in order.items
        ],
        "ship_to": None if order.ship_to is None else order.ship_to.as_dict(),
        "units": order.units,
        "created_at": iso(order.created_at),
        "updated_at": iso(order.updated_at),
        "completed_at": iso(order.completed_at),
        "cancelled_at": iso(order.cancelled_at),
    }
