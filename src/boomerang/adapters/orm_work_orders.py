"""Maps the WorkOrder aggregate onto its tables (called from orm.start_mappers)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import registry, relationship

from boomerang.adapters.tables.work_orders import work_order_items, work_orders
from boomerang.domain.work_orders import WorkOrder, WorkOrderItem


def map_work_orders(mapper_registry: registry) -> None:
    mapper_registry.map_imperatively(WorkOrderItem, work_order_items)
    mapper_registry.map_imperatively(
        WorkOrder,
        work_orders,
        version_id_col=work_orders.c.version,
        version_id_generator=False,
        properties={
            "items": relationship(
                WorkOrderItem,
                order_by=work_order_items.c.position,
                cascade="all, delete-orphan",
                lazy="selectin",
            ),
        },
    )

    @event.listens_for(WorkOrder, "load")
    def _init_events(order: WorkOrder, _: Any) -> None:
        order.events = []
