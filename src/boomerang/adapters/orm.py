"""Maps the plain domain classes onto the tables (imperative mapping: the domain imports no ORM)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import composite, configure_mappers, deferred, registry, relationship

from boomerang.adapters.orm_work_orders import map_work_orders
from boomerang.adapters.tables import core
from boomerang.domain.products import Product, ReturnPreferences
from boomerang.domain.returns import ReturnLine, ReturnOrder, StatusChange, TrackingEvent
from boomerang.domain.tenants import FulfillmentCenter, Merchant, Operator

mapper_registry = registry()
# The search column's attribute on a mapped ReturnOrder (not a domain field: the repository sets it).
SEARCH_TEXT = "_search_text"
_started = False


def start_mappers() -> None:
    """Idempotent: map every domain class once per process."""
    global _started
    if _started:
        return
    _started = True
    mapper_registry.map_imperatively(Merchant, core.merchants)
    mapper_registry.map_imperatively(FulfillmentCenter, core.fulfillment_centers)
    mapper_registry.map_imperatively(Operator, core.operators)
    pt = core.products
    mapper_registry.map_imperatively(
        Product,
        pt,
        properties={
            "preferences": composite(
                ReturnPreferences,
                pt.c.return_action,
                pt.c.rts_action,
                pt.c.backup_action,
                pt.c.inspection_steps,
                pt.c.preferences_configured,
            ),
        },
    )
    mapper_registry.map_imperatively(ReturnLine, core.return_lines)
    mapper_registry.map_imperatively(StatusChange, core.return_status_history)
    mapper_registry.map_imperatively(TrackingEvent, core.tracking_events)
    rt = core.return_orders
    mapper_registry.map_imperatively(
        ReturnOrder,
        rt,
        version_id_col=rt.c.version,
        version_id_generator=False,
        properties={
            # written with the return itself (INSERT or the version's UPDATE), never read back
            SEARCH_TEXT: deferred(rt.c.search_text),
            "lines": relationship(
                ReturnLine,
                order_by=core.return_lines.c.position,
                cascade="all, delete-orphan",
                lazy="selectin",
            ),
            "status_history": relationship(
                StatusChange,
                order_by=core.return_status_history.c.id,
                cascade="all, delete-orphan",
                lazy="selectin",
            ),
            "tracking_events": relationship(
                TrackingEvent,
                order_by=core.tracking_events.c.occurred_at,
                cascade="all",
                lazy="selectin",
            ),
        },
    )

    map_work_orders(mapper_registry)

    @event.listens_for(ReturnOrder, "load")
    def _init_events(order: ReturnOrder, _: Any) -> None:
        order.events = []

    configure_mappers()  # now, not at the first ORM query: repositories/rows.py builds instances without one
