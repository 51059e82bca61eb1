"""Quarantined stock by product, FC and lot with its age, and the merchant's work orders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from boomerang.domain.work_orders import WorkOrder
from boomerang.services.queries import WorkOrderFilters
from boomerang.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class QuarantinedStock:
    product_id: str
    sku: str
    name: str
    fulfillment_center_id: str
    fulfillment_center: str
    lot_number: str | None
    expiration_date: date | None
    quantity: int
    since: datetime | None
    age_days: int | None


@dataclass(frozen=True)
class QuarantineView:
    stock: list[QuarantinedStock]
    work_orders: list[WorkOrder]
    work_orders_next_cursor: str | None


def quarantine_view(uow: UnitOfWork, *, cursor: str | None = None) -> QuarantineView:
    """Every quarantined position (oldest arrival shows its age) and one page of work orders."""
    fcs = {fc.id: fc.name for fc in uow.tenants.fulfillment_centers()}
    stock = [
        QuarantinedStock(
            r.product_id,
            r.sku,
            r.name,
            r.fulfillment_center_id,
            fcs.get(r.fulfillment_center_id, r.fulfillment_center_id),
            r.lot_number or None,
            r.expiration_date,
            int(r.quantity),
            r.since,
            (uow.now - r.since).days if r.since else None,
        )
        for r in uow.dashboard.quarantine_positions()
    ]
    page = uow.work_orders.list(WorkOrderFilters(), cursor, 50)
    return QuarantineView(stock, page.items, page.next_cursor)
