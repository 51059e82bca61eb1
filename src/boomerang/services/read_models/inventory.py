"""Stock as its clients see it: on-hand positions with what work orders hold, and adjustments with their note."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from boomerang.domain.inventory import LedgerEntry


@dataclass(frozen=True)
class StockPosition:
    """A product at an FC, per lot number and expiration date: on-hand units and those reserved by work orders."""

    product_id: str
    sku: str
    fulfillment_center_id: str
    lot_number: str | None
    expiration_date: date | None
    sellable: int
    quarantine: int
    reserved: int


@dataclass(frozen=True)
class Adjustment:
    entry: LedgerEntry
    note: str
