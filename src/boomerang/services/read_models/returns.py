"""Returns as the dashboard lists and shows them: domain objects plus the counts and fees around them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from boomerang.domain.billing import Transaction, TransactionType
from boomerang.domain.disposition import ExpectedDisposition, expected_line
from boomerang.domain.money import Money
from boomerang.domain.products import Action, Product
from boomerang.domain.return_warnings import ReturnWarning, return_warnings
from boomerang.domain.returns import (
    ActionReason,
    ActionTaken,
    ReturnLine,
    ReturnOrder,
    ReturnStatus,
    ReturnType,
    TakenAction,
)
from boomerang.domain.tenants import FulfillmentCenter
from boomerang.services.queries import ReturnFilters
from boomerang.services.unit_of_work import UnitOfWork

EXPORT_BATCH = 500
# (product id, return type, line override) -> what the decision table expects (see expected_lines)
ExpectedCache = dict[tuple[str, ReturnType, Action | None], ExpectedDisposition]
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


@dataclass(frozen=True)
class ReturnView:
    """A return as every client shows it: the aggregate with its FC, its fees, what each line is
    expected to become and the warnings (the API response, the webhook payload, the ShipBob mount)."""

    order: ReturnOrder
    fulfillment_center: FulfillmentCenter
    transactions: list[Transaction]
    currency: str
    expected: dict[str, ExpectedDisposition]  # by line id
    warnings: list[ReturnWarning]

    @property
    def invoice_amount(self) -> Money:
        """What the return has cost the merchant so far (zero in the merchant's currency before any fee)."""
        return Money(sum((t.amount.amount for t in self.transactions), Decimal(0)), self.currency)


@dataclass(frozen=True)
class LineView:
    """One line of a return with its expected action, and the actions an inspection would take (a preview)."""

    line: ReturnLine
    expected: ExpectedDisposition
    preview: list[ActionTaken] | None = None

    @property
    def actions_taken(self) -> list[ActionTaken]:
        return self.preview if self.preview is not None else self.line.actions_taken


def expected_lines(
    order: ReturnOrder, products: dict[str, Product], decided: ExpectedCache | None = None
) -> dict[str, ExpectedDisposition]:
    """Each line's expected action, by line id (`products` holds every line's product: none is ever deleted).

    The answer depends on the product, the return type and the line's override only, so many returns
    rendered together (`decided`, shared by them) ask the decision table once per product and case."""
    decided = {} if decided is None else decided
    found: dict[str, ExpectedDisposition] = {}
    for line in order.lines:
        key = (line.product_id, order.return_type, line.override)
        if key not in decided:
            decided[key] = expected_line(order, line, products[line.product_id])
        found[line.id] = decided[key]
    return found


def return_views(uow: UnitOfWork, orders: list[ReturnOrder]) -> list[ReturnView]:
    """Many returns with four extra queries in all (FCs, fees, currencies, products), never one per return."""
    fcs = {fc.id: fc for fc in uow.tenants.fulfillment_centers(sorted({o.fulfillment_center_id for o in orders}))}
    fees: dict[str, list[Transaction]] = {}
    for transaction in uow.billing.transactions_for_returns([o.id for o in orders]):
        fees.setdefault(transaction.return_id or "", []).append(transaction)
    currencies = {m: uow.tenants.merchant(m).currency_code for m in {o.merchant_id for o in orders}}
    products = uow.products.of_lines([line.product_id for o in orders for line in o.lines])
    decided: ExpectedCache = {}
    return [
        ReturnView(
            order,
            fcs[order.fulfillment_center_id],
            fees.get(order.id, []),
            currencies[order.merchant_id],
            expected_lines(order, products, decided),
            return_warnings(order, products),
        )
        for order in orders
    ]


def return_view(uow: UnitOfWork, order: ReturnOrder) -> ReturnView:
    """The return's view; right after a commit, the one just rendered into the outbox (no re-read)."""
    published = uow.outbox.published(order)
    if isinstance(published, ReturnView):
        return published
    return return_views(uow, [order])[0]


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
    expected = expected_lines(order, products)
    return ReturnDetails(
        order,
        fc,
        fees,
        sorted(timeline, key=lambda e: e.at),
        products,
        return_warnings(order, products),
        expected,
    )
