"""The inventory ledger: immutable signed entries per (merchant, product, FC, lot, bucket)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


class Bucket(StrEnum):
    Sellable = "Sellable"
    Quarantine = "Quarantine"
    Disposed = "Disposed"
    Shipped = "Shipped"


@dataclass(frozen=True)
class LedgerEntry:
    id: str
    merchant_id: str
    product_id: str
    fulfillment_center_id: str
    bucket: Bucket
    quantity: int
    reason: str
    originator: str
    created_at: datetime
    lot_number: str | None = None
    expiration_date: date | None = None
    return_id: str | None = None
    work_order_id: str | None = None


@dataclass(frozen=True)
class StockPosition:
    """On-hand units of one bucket for one (merchant, product, FC, lot number, expiration date)."""

    merchant_id: str
    product_id: str
    fulfillment_center_id: str
    lot_number: str | None
    expiration_date: date | None
    quantity: int


# (product_id, fulfillment_center_id, lot_number or "", expiration_date) identifies one stock position of a
# merchant: one lot number that arrived with two expiration dates is two positions, never merged.
StockKey = tuple[str, str, str, date | None]
NO_LOT = ""


@dataclass(frozen=True)
class StockLine:
    """On-hand Sellable and Quarantine units of one stock position."""

    merchant_id: str
    product_id: str
    sku: str
    fulfillment_center_id: str
    lot_number: str | None
    expiration_date: date | None
    sellable: int
    quarantine: int

    @property
    def key(self) -> StockKey:
        return (self.product_id, self.fulfillment_center_id, self.lot_number or NO_LOT, self.expiration_date)
