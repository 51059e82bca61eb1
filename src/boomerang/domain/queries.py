"""Query specifications: what a client may ask of a list (filters), and the page it gets back.

Entry points build them from a request or a page's query string; repositories translate them to SQL.
They live in the domain so that the ports, the use cases and the adapters all speak them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Generic, TypeVar

from boomerang.domain.billing import TransactionType
from boomerang.domain.inventory import Bucket
from boomerang.domain.products import Category
from boomerang.domain.returns import Channel, ReturnOrder, ReturnStatus, ReturnType, TakenAction
from boomerang.domain.work_orders import WorkOrderStatus, WorkOrderType

T = TypeVar("T")


@dataclass
class Page(Generic[T]):
    """One keyset page of a list; `next_cursor` is None on the last page."""

    items: list[T]
    next_cursor: str | None


@dataclass
class NumberedPage:
    """One numbered page of returns (the ShipBob mount's pages) and how many match in all."""

    items: list[ReturnOrder]
    total: int


@dataclass
class ReturnFilters:
    status: list[ReturnStatus] = field(default_factory=list)
    return_type: ReturnType | None = None
    fulfillment_center_id: str | None = None
    reference_id: str | None = None
    tracking_number: str | None = None
    original_shipment_id: str | None = None
    store_order_id: str | None = None
    sku: str | None = None
    action: TakenAction | None = None
    start_date: date | None = None
    end_date: date | None = None
    q: str | None = None
    channel: Channel | None = None
    arrived_from: date | None = None
    arrived_to: date | None = None


@dataclass
class ProductFilters:
    sku: str | None = None
    q: str | None = None
    category: Category | None = None
    preferences_configured: bool | None = None
    quarantined: bool | None = None


@dataclass
class StockFilters:
    product_id: str | None = None
    fulfillment_center_id: str | None = None
    bucket: Bucket | None = None


@dataclass
class LedgerFilters:
    product_id: str | None = None
    return_id: str | None = None
    work_order_id: str | None = None


@dataclass
class WorkOrderFilters:
    status: WorkOrderStatus | None = None
    type: WorkOrderType | None = None
    fulfillment_center_id: str | None = None
    product_id: str | None = None


@dataclass
class CompatReturnFilters:
    """None = no filter; an empty list = a filter nothing matches (e.g. only unknown numbers)."""

    ids: list[str] | None = None
    reference_ids: list[str] | None = None
    statuses: list[ReturnStatus] | None = None
    fulfillment_center_ids: list[str] | None = None
    tracking_numbers: list[str] | None = None
    original_shipment_ids: list[str] | None = None
    product_ids: list[str] | None = None
    return_types: list[ReturnType] | None = None
    actions: list[TakenAction] | None = None
    store_order_ids: list[str] | None = None
    start: datetime | None = None
    end: datetime | None = None
    completed_start: datetime | None = None
    completed_end: datetime | None = None
    oldest_first: bool = False


@dataclass
class TransactionFilters:
    start: datetime | None = None
    end: datetime | None = None
    transaction_type: TransactionType | None = None
    return_id: str | None = None
    work_order_id: str | None = None
