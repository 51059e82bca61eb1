"""Work orders as every client shows them: the aggregate and the SKUs of its items."""

from __future__ import annotations

from dataclasses import dataclass

from boomerang.domain.work_orders import WorkOrder
from boomerang.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class WorkOrderView:
    order: WorkOrder
    skus: dict[str, str]  # product id -> SKU, for every item's product


def work_order_views(uow: UnitOfWork, orders: list[WorkOrder]) -> list[WorkOrderView]:
    """Many work orders with one extra query in all (the items' products)."""
    product_ids = sorted({item.product_id for order in orders for item in order.items})
    skus = {product.id: product.sku for product in uow.products.by_ids(product_ids).values()}
    return [WorkOrderView(order, skus) for order in orders]


def work_order_view(uow: UnitOfWork, order: WorkOrder) -> WorkOrderView:
    """The work order's view; right after a commit, the one just rendered into the outbox (no re-read)."""
    published = uow.outbox.published(order)
    if isinstance(published, WorkOrderView):
        return published
    return work_order_views(uow, [order])[0]
