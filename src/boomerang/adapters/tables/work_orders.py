"""Work orders (Disposal and removals of quarantined stock) and their items."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Column, Date, Dialect, ForeignKey, Index, Integer, String, Table
from sqlalchemy.types import TypeDecorator

from boomerang.adapters.tables.base import metadata
from boomerang.adapters.tables.core import ID, enum
from boomerang.adapters.types import UTCDateTime
from boomerang.domain.addresses import Address
from boomerang.domain.work_orders import WorkOrderStatus, WorkOrderType


class AddressJSON(TypeDecorator[Address]):
    impl = JSON
    cache_ok = True

    def process_bind_param(self, value: Address | None, dialect: Dialect) -> Any:
        return None if value is None else value.as_dict()

    def process_result_value(self, value: Any, dialect: Dialect) -> Address | None:
        return None if value is None else Address(**value)


work_orders = Table(
    "work_orders",
    metadata,
    Column("id", ID, primary_key=True),
    Column("merchant_id", ID, ForeignKey("merchants.id"), nullable=False),
    Column("fulfillment_center_id", ID, ForeignKey("fulfillment_centers.id"), nullable=False),
    Column("type", enum(WorkOrderType), nullable=False),
    Column("status", enum(WorkOrderStatus), nullable=False),
    Column("ship_to", AddressJSON),
    Column("created_at", UTCDateTime, nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("updated_at", UTCDateTime),
    Column("completed_at", UTCDateTime),
    Column("completed_by", String(200)),
    Column("cancelled_at", UTCDateTime),
    Column("version", Integer, nullable=False),
    Index("ix_work_orders_merchant_id_id", "merchant_id", "id"),
    Index("ix_work_orders_fc_status", "fulfillment_center_id", "status"),
)

work_order_items = Table(
    "work_order_items",
    metadata,
    Column("id", ID, primary_key=True),
    Column("work_order_id", ID, ForeignKey("work_orders.id"), nullable=False, index=True),
    Column("merchant_id", ID, nullable=False),
    Column("position", Integer, nullable=False),
    Column("product_id", ID, ForeignKey("products.id"), nullable=False, index=True),
    Column("lot_number", String(100)),
    Column("expiration_date", Date),
    Column("quantity", Integer, nullable=False),
    # what the operator actually picked when completing (None while Open); the rest stays in quarantine
    Column("quantity_picked", Integer),
)
