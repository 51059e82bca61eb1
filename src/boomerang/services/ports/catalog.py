"""Ports: the repositories of catalog, as the use cases see them."""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any, Protocol

from boomerang.domain.inventory import Bucket, LedgerEntry, StockKey, StockLine, StockPosition
from boomerang.domain.products import PreferenceValues, Product, SkuPreferences
from boomerang.domain.queries import LedgerFilters, Page, ProductFilters, StockFilters


class Products(Protocol):
    """The merchants' catalog, scoped to the caller."""

    def add(self, product: Product) -> None: ...

    def get(self, product_id: str) -> Product: ...

    def find_by_sku(self, merchant_id: str, sku: str) -> Product | None: ...

    def by_skus(self, merchant_id: str, skus: list[str]) -> dict[str, Product]: ...

    def ids_by_skus(self, merchant_id: str, skus: Sequence[str]) -> dict[str, str]: ...

    def preferences_by_skus(self, merchant_id: str, skus: Sequence[str]) -> dict[str, SkuPreferences]:
        """As `ids_by_skus`, with each product's current preferences (one query)."""

    def write_preferences(
        self, merchant_id: str, writes: Sequence[tuple[str, PreferenceValues]], now: datetime
    ) -> None: ...

    def by_ids(self, ids: list[str]) -> dict[str, Product]: ...

    def next_by_sku(self, merchant_id: str, after_sku: str | None, limit: int) -> builtins.list[Product]:
        """Up to `limit` of the merchant's products in SKU order, after `after_sku` (keyset batches)."""

    def search_for_picker(self, merchant_id: str, needle: str, limit: int) -> builtins.list[Product]: ...

    def list(self, filters: ProductFilters, cursor: str | None, limit: int) -> Page[Product]: ...

    def of_lines(self, product_ids: builtins.list[str]) -> dict[str, Product]:
        """The products of return or work-order lines the caller can already see, by id."""


class Stock(Protocol):
    """Stock positions and the ledger as the caller may see them, and adjustment notes."""

    def add_adjustment_note(self, **values: Any) -> None: ...

    def on_hand(
        self,
        merchant_id: str,
        product_id: str,
        fc_id: str,
        lot_number: str | None,
        expiration_date: date | None,
        bucket: Bucket,
    ) -> int: ...

    def stock(self, filters: StockFilters, cursor: str | None, limit: int) -> Page[StockLine]:
        """On-hand Sellable and Quarantine per (merchant, product, FC, lot, expiry), ordered by that key."""

    def reserved_quantities(self, keys: list[StockKey]) -> dict[StockKey, int]:
        """Units reserved by open work orders, per stock position."""

    def ledger(self, filters: LedgerFilters, cursor: str | None, limit: int) -> Page[Any]:
        """Entries newest first, scoped to the caller."""


class Ledger(Protocol):
    """The append-only inventory ledger and the stock positions it sums to."""

    def add(self, entries: Iterable[LedgerEntry]) -> None:
        """Append entries (one INSERT for all of them)."""

    def positions(
        self,
        bucket: Bucket,
        *,
        merchant_id: str | None = None,
        product_ids: list[str] | None = None,
        fulfillment_center_id: str | None = None,
        before: datetime | None = None,
    ) -> list[StockPosition]:
        """Positive on-hand figures of `bucket` per (merchant, product, FC, lot, expiry), optionally as of `before`."""
