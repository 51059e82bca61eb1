from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field, StrictInt, StringConstraints

from boomerang.domain.work_orders import WorkOrderItem, WorkOrderStatus, WorkOrderType
from boomerang.schemas.addresses import AddressIn, AddressRead
from boomerang.schemas.common import RequestModel
from boomerang.services.read_models.work_orders import WorkOrderView

Id = Annotated[str, StringConstraints(min_length=1, max_length=40)]


class WorkOrderItemIn(RequestModel):
    product_id: Id
    quantity: Annotated[StrictInt, Field(ge=1, le=1_000_000)]
    lot_number: Annotated[str, StringConstraints(min_length=1, max_length=100)] | None = Field(
        None, description="without it, units come from unlotted stock first, then the earliest-expiring lots"
    )
    expiration_date: date | None = Field(
        None,
        description="with lot_number: only that lot's units with this expiration date; without it, the lot's "
        "earliest expiration date first (a lot with two expiration dates is two stocks, each item names one)",
    )


class WorkOrderCreate(RequestModel):
    type: WorkOrderType
    fulfillment_center_id: Id
    items: Annotated[list[WorkOrderItemIn], Field(min_length=1, max_length=500)]
    ship_to: AddressIn | None = Field(None, description="removals only; an address in the FC's country")


class WorkOrderItemRead(BaseModel):
    id: str
    product_id: str
    sku: str | None
    lot_number: str | None
    expiration_date: date | None
    quantity: int
    quantity_picked: int | None = Field(
        description="units actually picked (set when completed; the rest stay in quarantine)"
    )

    @classmethod
    def from_domain(cls, item: WorkOrderItem, sku: str | None) -> WorkOrderItemRead:
        return cls(
            id=item.id,
            product_id=item.product_id,
            sku=sku,
            lot_number=item.lot_number,
            expiration_date=item.expiration_date,
            quantity=item.quantity,
            quantity_picked=item.quantity_picked,
        )


class WorkOrderRead(BaseModel):
    id: str
    type: WorkOrderType
    status: WorkOrderStatus
    fulfillment_center_id: str
    items: list[WorkOrderItemRead]
    ship_to: AddressRead | None
    units: int
    created_at: datetime
    updated_at: datetime | None
    completed_at: datetime | None
    cancelled_at: datetime | None

    @classmethod
    def from_domain(cls, view: WorkOrderView) -> WorkOrderRead:
        order = view.order
        if order.status is None:
            raise ValueError("a stored work order always has a status")
        ship_to = order.ship_to
        return cls(
            id=order.id,
            type=order.type,
            status=order.status,
            fulfillment_center_id=order.fulfillment_center_id,
            items=[WorkOrderItemRead.from_domain(item, view.skus.get(item.product_id)) for item in order.items],
            ship_to=None if ship_to is None else AddressRead.from_domain(ship_to),
            units=order.units,
            created_at=order.created_at,
            updated_at=order.updated_at,
            completed_at=order.completed_at,
            cancelled_at=order.cancelled_at,
        )
