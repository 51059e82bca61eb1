"""On-hand stock, ledger entries and admin adjustments."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field, StrictInt, StringConstraints

from boomerang.domain.inventory import Bucket
from boomerang.entrypoints.api.schemas.common import Id, RequestModel


class InventoryItemRead(BaseModel):
    """One stock position: a product at an FC, per lot number and expiration date (one lot number that arrived
    with two expiration dates is two rows)."""

    product_id: str
    sku: str
    fulfillment_center_id: str
    lot_number: str | None
    expiration_date: date | None
    sellable: int
    quarantine: int
    reserved: int


class LedgerEntryRead(BaseModel):
    id: str
    product_id: str
    fulfillment_center_id: str
    lot_number: str | None
    expiration_date: date | None
    bucket: Bucket
    quantity: int
    reason: str
    return_id: str | None
    work_order_id: str | None
    created_at: datetime


class AdjustmentCreate(RequestModel):
    merchant_id: Id
    product_id: Id
    fulfillment_center_id: Id
    bucket: Bucket
    quantity: StrictInt
    lot_number: Annotated[str, StringConstraints(max_length=100)] | None = None
    expiration_date: date | None = Field(
        None, description="with lot_number: the lot's units with this expiration date (each expiry is its own stock)"
    )
    note: Annotated[str, StringConstraints(min_length=1, max_length=1000)]


class AdjustmentRead(LedgerEntryRead):
    merchant_id: str
    note: str
