"""On-hand stock, ledger entries and admin adjustments."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field, StrictInt, StringConstraints

from boomerang.domain.inventory import Bucket, LedgerEntry
from boomerang.schemas.common import Id, RequestModel
from boomerang.services.read_models.inventory import Adjustment, StockPosition


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

    @classmethod
    def from_domain(cls, position: StockPosition) -> InventoryItemRead:
        return cls(
            product_id=position.product_id,
            sku=position.sku,
            fulfillment_center_id=position.fulfillment_center_id,
            lot_number=position.lot_number,
            expiration_date=position.expiration_date,
            sellable=position.sellable,
            quarantine=position.quarantine,
            reserved=position.reserved,
        )


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

    @classmethod
    def from_domain(cls, entry: LedgerEntry) -> LedgerEntryRead:
        return LedgerEntryRead(
            id=entry.id,
            product_id=entry.product_id,
            fulfillment_center_id=entry.fulfillment_center_id,
            lot_number=entry.lot_number,
            expiration_date=entry.expiration_date,
            bucket=entry.bucket,
            quantity=entry.quantity,
            reason=entry.reason,
            return_id=entry.return_id,
            work_order_id=entry.work_order_id,
            created_at=entry.created_at,
        )


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

    # built from the entry and its note, not from an entry alone as its base is
    @classmethod
    def from_domain(cls, adjustment: Adjustment) -> AdjustmentRead:  # type: ignore[override]
        entry = adjustment.entry
        return cls(**dict(LedgerEntryRead.from_domain(entry)), merchant_id=entry.merchant_id, note=adjustment.note)
