"""Returns as the dashboard lists and shows them: domain objects plus the counts and fees around them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from boomerang.domain.billing import TransactionType
from boomerang.domain.disposition import ExpectedDisposition, expected_line
from boomerang.domain.labels import Rate, cheapest_first
from boomerang.domain.money import Money
from boomerang.domain.products import Product
from boomerang.domain.return_warnings import ReturnWarning, return_warnings
from boomerang.domain.returns import ActionReason, ActionTaken, ReturnOrder, ReturnStatus, TakenAction
from boomerang.domain.tenants import FulfillmentCenter
from boomerang.services.queries import ReturnFilters
from boomerang.services.unit_of_work import UnitOfWork

EXPORT_BATCH = 500
PAST_TENSE = {
    TakenAction.Restock: "Restocked",
    TakenAction.Quarantine: "Quarantined",
    TakenAction.Dispose: "Disposed",
    TakenAction.Missing: "Missing",
}
REASON_WORDS = {
    ActionReason.IneligibleCategory: "ineligible category",
    ActionReason.MerchantPreference: "your preference",
    ActionReason.FailedInspection: "failed inspection",
    ActionReason.UnclearInstructions: "inspection instructions unclear",
    ActionReason.ShelfLife: "shorter shelf life than the minimum",
    ActionReason.LotUnverified: "lot could not be verified",
    ActionReason.NotReceived: "not in the package",
}


def action_in_words(action: ActionTaken) -> str:
    """`Disposed: ineligible category`."""
    return f"{PAST_TENSE[action.action]}: {REASON_WORDS.get(action.action_reason, action.action_reason.value)}"


@dataclass(frozen=True)
class ReturnsPage:
    orders: list[ReturnOrder]
    counts: dict[ReturnStatus, int]
    next_cursor: str | None
    fulfillment_centers: dict[str, FulfillmentCenter]


@dataclass(frozen=True)
class Fee:
    transaction_type: TransactionType
    amount: Money
    created_at: datetime


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    what: str
    who: str


@dataclass(frozen=True)
class ReturnDetails:
    order: ReturnOrder
    fulfillment_center: FulfillmentCenter
    fees: list[Fee]
    timeline: list[TimelineEntry]
    products: dict[str, Product]
    # What will happen before arrival (returns rules): warnings, and each line's expected action by line id.
    warnings: list[ReturnWarning]
    expected: dict[str, ExpectedDisposition]

    @property
    def fees_total(self) -> Money | None:
        if not self.fees:
            return None
        return Money(sum((f.amount.amount for f in self.fees), Decimal(0)), self.fees[0].amount.currency)


def returns_page(uow: UnitOfWork, *, filters: ReturnFilters, cursor: str | None, limit: int = 50) -> ReturnsPage:
    """One keyset page of the filtered list, and the count per status tab (same filters, any status)."""
    page = uow.returns.list(filters, cursor, limit)
    fcs = {fc.id: fc for fc in uow.tenants.fulfillment_centers()}
    return ReturnsPage(page.items, uow.returns.count_by_status(filters), page.next_cursor, fcs)


def all_returns(uow: UnitOfWork, *, filters: ReturnFilters) -> Iterator[ReturnOrder]:
    """Every return matching `filters`, newest first, read in batches (for exports of any size)."""
    cursor: str | None = None
    with uow:
        while True:
            page = uow.returns.list(replace(filters), cursor, EXPORT_BATCH)
            yield from page.items
            if page.next_cursor is None:
                return
            cursor = page.next_cursor


def return_details(uow: UnitOfWork, *, return_id: str) -> ReturnDetails:
    """A return with its FC, fees and one timeline of status changes and carrier tracking events."""
    order = uow.returns.get(return_id)
    fc = uow.tenants.fulfillment_center(order.fulfillment_center_id)
    fees = [
        Fee(TransactionType(row.transaction_type), Money(row.amount, row.currency), row.created_at)
        for row in uow.dashboard.fees_of_return(order.id)
    ]
    timeline = [TimelineEntry(s.timestamp, str(s.status.value), s.actor) for s in order.status_history]
    timeline += [
        TimelineEntry(
            t.occurred_at, f"Carrier: {t.status}" + (f" — {t.description}" if t.description else ""), "carrier"
        )
        for t in order.tracking_events
    ]
    products = uow.products.of_lines([line.product_id for line in order.lines])
    expected = {line.id: expected_line(order, line, products[line.product_id]) for line in order.lines}
    return ReturnDetails(
        order,
        fc,
        fees,
        sorted(timeline, key=lambda e: e.at),
        products,
        return_warnings(order, products),
        expected,
    )


def label_rates(uow: UnitOfWork, *, order: ReturnOrder) -> list[Rate]:
    """What a domestic return label to the return's FC costs per carrier and service, cheapest first."""
    from boomerang.services.labels import carrier_provider

    fc = uow.tenants.fulfillment_center(order.fulfillment_center_id)
    currency = uow.tenants.merchant(order.merchant_id).currency_code
    rates = carrier_provider(uow).rates(origin_country=fc.country, destination_country=fc.country, currency=currency)
    return cheapest_first(rates)
