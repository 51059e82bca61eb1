"""Work orders: merchants move quarantined stock out; operators of the FC carry them out."""

from __future__ import annotations

from fastapi import APIRouter

from boomerang.domain.work_orders import WorkOrderStatus, WorkOrderType
from boomerang.entrypoints.http.deps import MerchantOrOperatorUoW, MerchantUoW, OperatorUoW
from boomerang.schemas.common import Limit, Page
from boomerang.schemas.work_orders import WorkOrderCreate, WorkOrderRead
from boomerang.services import work_orders
from boomerang.services.queries import WorkOrderFilters
from boomerang.services.work_orders import ItemRequest

router = APIRouter(tags=["work orders"])


@router.post("/work-orders", status_code=201, response_model=WorkOrderRead)
def create_work_order(body: WorkOrderCreate, uow: MerchantUoW) -> WorkOrderRead:
    """Reserve quarantined units (422 `insufficient_quarantine_stock`, `removal_country_mismatch`)."""
    with uow:
        view = work_orders.create_work_order(
            uow,
            type=body.type,
            fulfillment_center_id=body.fulfillment_center_id,
            items=[ItemRequest(i.product_id, i.quantity, i.lot_number, i.expiration_date) for i in body.items],
            ship_to=body.ship_to.to_domain() if body.ship_to else None,
        )
        return WorkOrderRead.from_domain(view)


@router.get("/work-orders", response_model=Page[WorkOrderRead])
def list_work_orders(
    uow: MerchantOrOperatorUoW,
    status: WorkOrderStatus | None = None,
    type: WorkOrderType | None = None,
    fulfillment_center_id: str | None = None,
    product_id: str | None = None,
    cursor: str | None = None,
    limit: Limit = 50,
) -> Page[WorkOrderRead]:
    """Newest first."""
    filters = WorkOrderFilters(status, type, fulfillment_center_id, product_id)
    with uow:
        page = work_orders.list_work_orders(uow, filters=filters, cursor=cursor, limit=limit)
        return Page[WorkOrderRead](
            items=[WorkOrderRead.from_domain(v) for v in page.items], next_cursor=page.next_cursor
        )


@router.get("/work-orders/{work_order_id}", response_model=WorkOrderRead)
def get_work_order(work_order_id: str, uow: MerchantOrOperatorUoW) -> WorkOrderRead:
    with uow:
        return WorkOrderRead.from_domain(work_orders.get_work_order(uow, work_order_id=work_order_id))


@router.post("/work-orders/{work_order_id}/complete", response_model=WorkOrderRead)
def complete_work_order(work_order_id: str, uow: OperatorUoW) -> WorkOrderRead:
    """Open -> Completed: Quarantine -> Disposed or Shipped in the ledger, DisposalFee/RemovalFee per unit."""
    with uow:
        return WorkOrderRead.from_domain(work_orders.complete_work_order(uow, work_order_id=work_order_id))


@router.post("/work-orders/{work_order_id}/cancel", response_model=WorkOrderRead)
def cancel_work_order(work_order_id: str, uow: MerchantUoW) -> WorkOrderRead:
    """Open -> Cancelled: the reserved units are available again."""
    with uow:
        return WorkOrderRead.from_domain(work_orders.cancel_work_order(uow, work_order_id=work_order_id))
