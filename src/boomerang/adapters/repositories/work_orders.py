"""Work orders, scoped to the caller's merchant or the operator's FCs; reservations of quarantined stock."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from boomerang.adapters.repositories.base import AggregateRepository, Page, apply_scope, keyset_page
from boomerang.adapters.tables.work_orders import work_order_items as wi
from boomerang.adapters.tables.work_orders import work_orders as wt
from boomerang.domain.error_codes import WorkOrderErrorCode
from boomerang.domain.errors import NotFound
from boomerang.domain.queries import WorkOrderFilters
from boomerang.domain.work_orders import ReservationKey, WorkOrder, WorkOrderStatus

StockKey = ReservationKey


def reserved_quantities(
    session: Session,
    *,
    merchant_id: str | None = None,
    product_ids: list[str] | None = None,
    fulfillment_center_id: str | None = None,
) -> dict[StockKey, int]:
    """Quarantined units reserved by Open work orders, per (merchant, product, FC, lot, expiry)."""
    keys = (wt.c.merchant_id, wi.c.product_id, wt.c.fulfillment_center_id, wi.c.lot_number, wi.c.expiration_date)
    stmt = (
        select(*keys, func.sum(wi.c.quantity))
        .join(wt, wt.c.id == wi.c.work_order_id)
        .where(wt.c.status == WorkOrderStatus.Open)
    )
    if merchant_id is not None:
        stmt = stmt.where(wt.c.merchant_id == merchant_id)
    if product_ids is not None:
        stmt = stmt.where(wi.c.product_id.in_(product_ids))
    if fulfillment_center_id is not None:
        stmt = stmt.where(wt.c.fulfillment_center_id == fulfillment_center_id)
    reserved: dict[StockKey, int] = defaultdict(int)
    for merchant, product, fc, lot, expiry, quantity in session.execute(stmt.group_by(*keys)):
        reserved[(merchant, product, fc, lot, expiry)] += int(quantity)
    return dict(reserved)


class WorkOrderRepository(AggregateRepository[WorkOrder]):
    resource_type = "work_order"

    def _select(self):  # type: ignore[no-untyped-def]
        return apply_scope(select(WorkOrder), self.principal, wt.c.merchant_id, wt.c.fulfillment_center_id)

    def add(self, order: WorkOrder) -> None:
        self.session.add(self._track(order))

    def get(self, work_order_id: str, *, for_update: bool = False) -> WorkOrder:
        """One work order; `for_update` locks its row until commit (two operators: one waits)."""
        stmt = self._select().where(wt.c.id == work_order_id)
        if for_update:
            stmt = stmt.with_for_update().execution_options(populate_existing=True)
        order = self.session.execute(stmt).scalar_one_or_none()
        if order is None:
            raise NotFound(f"work order {work_order_id} not found", code=WorkOrderErrorCode.WORK_ORDER_NOT_FOUND)
        return self._track(order)

    def list(self, filters: WorkOrderFilters, cursor: str | None, limit: int) -> Page[WorkOrder]:
        stmt = self._select()
        for column, value in (
            (wt.c.status, filters.status),
            (wt.c.type, filters.type),
            (wt.c.fulfillment_center_id, filters.fulfillment_center_id),
        ):
            if value is not None:
                stmt = stmt.where(column == value)
        if filters.product_id is not None:
            stmt = stmt.where(wt.c.id.in_(select(wi.c.work_order_id).where(wi.c.product_id == filters.product_id)))
        page: Page[WorkOrder] = keyset_page(self.session, stmt, wt.c.id, cursor, limit)
        self.seen.update((o.id, o) for o in page.items)
        return page

    def reserved(self, merchant_id: str, product_ids: Sequence[str], fulfillment_center_id: str) -> dict[StockKey, int]:
        return reserved_quantities(
            self.session,
            merchant_id=merchant_id,
            product_ids=[*product_ids],
            fulfillment_center_id=fulfillment_center_id,
        )
