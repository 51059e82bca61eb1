"""Work orders: reserve quarantined units, then dispose of them or ship them out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from boomerang.domain.addresses import Address
from boomerang.domain.billing import TransactionType
from boomerang.domain.errors import FieldError, ValidationFailed
from boomerang.domain.ids import new_id
from boomerang.domain.inventory import Bucket
from boomerang.domain.work_orders import (
    Availability,
    WorkOrder,
    WorkOrderItem,
    WorkOrderType,
    allocate,
    validate_destination,
)
from boomerang.services import fees
from boomerang.services.lookups import known_fulfillment_center
from boomerang.services.queries import Page, WorkOrderFilters
from boomerang.services.read_models.work_orders import WorkOrderView, work_order_view, work_order_views
from boomerang.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class ItemRequest:
    product_id: str
    quantity: int
    lot_number: str | None = None
    expiration_date: date | None = None


def create_work_order(
    uow: UnitOfWork,
    *,
    type: WorkOrderType,
    fulfillment_center_id: str,
    items: list[ItemRequest],
    ship_to: Address | None,
) -> WorkOrderView:
    """Open a work order: reserves quarantined units (never more than quarantine minus reserved)."""
    merchant_id = uow.require_merchant()
    fc = known_fulfillment_center(uow, fulfillment_center_id)
    validate_destination(type, ship_to, fc.country)
    _require_items(uow, items)
    uow.locks.products([i.product_id for i in items])  # concurrent creators for these products queue here
    availability = _availability(uow, merchant_id, fulfillment_center_id, [i.product_id for i in items])
    order = WorkOrder.open(
        id=new_id("wo"),
        merchant_id=merchant_id,
        fulfillment_center_id=fulfillment_center_id,
        type=type,
        ship_to=ship_to,
        created_at=uow.now,
        created_by=uow.principal.actor,
        items=_allocate_items(items, availability),
    )
    uow.work_orders.add(order)
    uow.commit()
    return work_order_view(uow, order)


def _require_items(uow: UnitOfWork, items: list[ItemRequest]) -> None:
    errors = []
    if not items:
        errors.append(FieldError("items", "a work order needs at least one item"))
    known = uow.products.by_ids([i.product_id for i in items])
    seen: set[tuple[str, str | None, date | None]] = set()
    for n, item in enumerate(items):
        if item.quantity < 1:
            errors.append(FieldError(f"items[{n}].quantity", "quantity must be at least 1"))
        if item.product_id not in known:
            errors.append(FieldError(f"items[{n}].product_id", f"unknown product {item.product_id}"))
        if item.expiration_date is not None and item.lot_number is None:
            errors.append(FieldError(f"items[{n}].expiration_date", "name the lot_number of that expiration date"))
        if (item.product_id, item.lot_number, item.expiration_date) in seen:
            errors.append(FieldError(f"items[{n}]", "each product, lot and expiration date may appear only once"))
        seen.add((item.product_id, item.lot_number, item.expiration_date))
    if errors:
        raise ValidationFailed("invalid work order items", details=errors)


def _availability(
    uow: UnitOfWork, merchant_id: str, fc_id: str, product_ids: list[str]
) -> dict[str, list[Availability]]:
    """Unreserved quarantined units per product, (lot, expiry) by (lot, expiry), read after the product locks."""
    reserved = uow.work_orders.reserved(merchant_id, product_ids, fc_id)
    by_product: dict[str, list[Availability]] = {pid: [] for pid in product_ids}
    positions = uow.ledger.positions(
        Bucket.Quarantine, merchant_id=merchant_id, product_ids=product_ids, fulfillment_center_id=fc_id
    )
    for p in positions:
        free = p.quantity - reserved.get((merchant_id, p.product_id, fc_id, p.lot_number, p.expiration_date), 0)
        by_product[p.product_id].append(Availability(p.lot_number, p.expiration_date, free))
    return by_product


def _allocate_items(requests: list[ItemRequest], availability: dict[str, list[Availability]]) -> list[WorkOrderItem]:
    items = []
    for n, request in enumerate(requests):
        lots = availability[request.product_id]
        taken = allocate(request.quantity, request.lot_number, lots, f"items[{n}].quantity", request.expiration_date)
        for lot, quantity in taken:
            items.append(
                WorkOrderItem(new_id("woi"), request.product_id, quantity, lot.lot_number, lot.expiration_date)
            )
            # a later request for the same product (another lot) must not count these units again
            lots[lots.index(lot)] = Availability(lot.lot_number, lot.expiration_date, lot.available - quantity)
    return items


def complete_work_order(uow: UnitOfWork, *, work_order_id: str, picked: dict[str, int] | None = None) -> WorkOrderView:
    """Open -> Completed: the picked units leave quarantine (ledger) and the per-unit fee is charged."""
    order = uow.work_orders.get(work_order_id, for_update=True)
    ids = [new_id("led") for _ in range(2 * len(order.items))]
    entries = order.complete(uow.principal.actor, uow.now, ids, picked)
    uow.ledger.add(entries)
    schedule = fees.fee_schedule(uow, order.merchant_id)
    if order.type is WorkOrderType.Disposal:
        fee_type, per_unit = TransactionType.DisposalFee, schedule.disposal_fee_per_unit
    else:
        fee_type, per_unit = TransactionType.RemovalFee, schedule.removal_fee_per_unit
    if per_unit.amount > 0:
        fees.charge(
            uow,
            merchant_id=order.merchant_id,
            transaction_type=fee_type,
            amount=per_unit * order.units,
            work_order_id=order.id,
            dedup_key=f"wo:{order.id}",
        )
    uow.commit()
    return work_order_view(uow, order)


def cancel_work_order(uow: UnitOfWork, *, work_order_id: str) -> WorkOrderView:
    """Open -> Cancelled: the reserved units are free again."""
    order = uow.work_orders.get(work_order_id, for_update=True)
    order.cancel(uow.now)
    uow.commit()
    return work_order_view(uow, order)


def get_work_order(uow: UnitOfWork, *, work_order_id: str) -> WorkOrderView:
    return work_order_view(uow, uow.work_orders.get(work_order_id))


def list_work_orders(
    uow: UnitOfWork, *, filters: WorkOrderFilters, cursor: str | None, limit: int
) -> Page[WorkOrderView]:
    page = uow.work_orders.list(filters, cursor, limit)
    return Page(work_order_views(uow, page.items), page.next_cursor)
