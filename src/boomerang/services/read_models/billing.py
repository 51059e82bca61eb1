"""Billing as the dashboard shows it: transactions with filters, and invoices by month."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from boomerang.domain.billing import TransactionType
from boomerang.domain.invoices import Invoice, Period, build_invoice
from boomerang.domain.money import Money
from boomerang.services.queries import TransactionFilters
from boomerang.services.unit_of_work import UnitOfWork

MONTHS_SHOWN = 12


@dataclass(frozen=True)
class Charge:
    id: str
    transaction_type: TransactionType
    amount: Money
    created_at: datetime
    return_id: str | None
    work_order_id: str | None


@dataclass(frozen=True)
class BillingView:
    charges: list[Charge]
    next_cursor: str | None
    invoices: list[Invoice]


def billing_view(uow: UnitOfWork, *, filters: TransactionFilters, cursor: str | None, limit: int = 50) -> BillingView:
    """One page of filtered transactions, newest first, and the last twelve months' invoices."""
    merchant_id = uow.principal.merchant_id or ""
    page = uow.billing.list_transactions(merchant_id, filters, cursor, limit)
    charges = [
        Charge(t.id, t.transaction_type, t.amount, t.created_at, t.return_id, t.work_order_id) for t in page.items
    ]
    currency = uow.tenants.merchant(merchant_id).currency_code
    invoices = []
    for period in recent_periods(uow.now, MONTHS_SHOWN):
        totals = uow.billing.totals_by_type(merchant_id, period.start, period.end)
        invoices.append(build_invoice(merchant_id, period, currency, totals))
    return BillingView(charges, page.next_cursor, invoices)


def recent_periods(now: datetime, count: int) -> list[Period]:
    """This month and the `count - 1` before it, newest first."""
    year, month = now.year, now.month
    periods = []
    for _ in range(count):
        periods.append(Period(year, month))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return periods
