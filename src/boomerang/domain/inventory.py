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
