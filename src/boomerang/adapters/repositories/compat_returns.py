"""Return listing with ShipBob's filters: lists of values per filter, time ranges, page numbers."""

from __future__ import annotations

from sqlalchemy import String, cast, exists, func, or_, select
from sqlalchemy.orm import Session

from boomerang.adapters.repositories.base import apply_scope
from boomerang.adapters.tables import core, warehouse
from boomerang.domain.queries import CompatReturnFilters, NumberedPage
from boomerang.domain.returns import ReturnOrder
from boomerang.domain.tenants import Principal

rt = core.return_orders
lt = core.return_lines


def _filtered(principal: Principal, f: CompatReturnFilters):  # type: ignore[no-untyped-def]
    stmt = apply_scope(select(ReturnOrder), principal, rt.c.merchant_id, rt.c.fulfillment_center_id)
    for column, values in (
        (rt.c.id, f.ids),
        (rt.c.reference_id, f.reference_ids),
        (rt.c.status, f.statuses),
        (rt.c.fulfillment_center_id, f.fulfillment_center_ids),
        (rt.c.original_shipment_id, f.original_shipment_ids),
        (rt.c.return_type, f.return_types),
        (rt.c.store_order_id, f.store_order_ids),
    ):
        if values is not None:
            stmt = stmt.where(column.in_(values))
    if f.tracking_numbers is not None:
        stmt = stmt.where(
            or_(rt.c.tracking_number.in_(f.tracking_numbers), rt.c.label_tracking_number.in_(f.tracking_numbers))
        )
    if f.product_ids is not None:
        stmt = stmt.where(exists().where(lt.c.return_id == rt.c.id, lt.c.product_id.in_(f.product_ids)))
    if f.actions is not None:
        # the same JSON-text match as our own API's `action` filter
        taken = [cast(lt.c.actions_taken, String).like(f'%"action": "{a.value}"%') for a in f.actions]
        stmt = stmt.where(exists().where(lt.c.return_id == rt.c.id, or_(*taken)))
    for column, low, high in (
        (rt.c.insert_date, f.start, f.end),
        (rt.c.completed_date, f.completed_start, f.completed_end),
    ):
        if low is not None:
            stmt = stmt.where(column >= low)
        if high is not None:
            stmt = stmt.where(column <= high)
    return stmt


class CompatReturnRepository:
    """The ShipBob mount's reads: numbered pages and outbound tracking numbers, scoped to the caller."""

    def __init__(self, session: Session, principal: Principal) -> None:
        self.session = session
        self.principal = principal

    def list_page(self, filters: CompatReturnFilters, offset: int, limit: int) -> NumberedPage:
        return list_page(self.session, self.principal, filters, offset, limit)

    def shipment_tracking_numbers(self, shipment_ids: list[str]) -> dict[str, str]:
        return shipment_tracking_numbers(self.session, self.principal, shipment_ids)


def list_page(
    session: Session, principal: Principal, filters: CompatReturnFilters, offset: int, limit: int
) -> NumberedPage:
    """One page in creation order (ids are time-sortable) and the number of matching returns."""
    stmt = _filtered(principal, filters)
    total = int(
        session.execute(select(func.count()).select_from(stmt.with_only_columns(rt.c.id).subquery())).scalar_one()
    )
    if offset >= total:
        return NumberedPage([], total)
    order = rt.c.id.asc() if filters.oldest_first else rt.c.id.desc()
    items = list(session.execute(stmt.order_by(order).offset(offset).limit(limit)).scalars())
    return NumberedPage(items, total)


def shipment_tracking_numbers(session: Session, principal: Principal, shipment_ids: list[str]) -> dict[str, str]:
    """Tracking numbers of the caller's outbound shipments, by shipment id."""
    if not shipment_ids:
        return {}
    st = warehouse.shipments
    stmt = apply_scope(select(st.c.id, st.c.tracking_number), principal, st.c.merchant_id, st.c.fulfillment_center_id)
    return {row.id: row.tracking_number for row in session.execute(stmt.where(st.c.id.in_(shipment_ids)))}
