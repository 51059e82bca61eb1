"""Billing: fee schedules, the transaction list and monthly invoices (JSON, CSV, PDF)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta

from boomerang.domain.billing import FeeSchedule, Transaction, TransactionType
from boomerang.domain.invoices import Invoice, Period, build_invoice, validate_fee_schedule
from boomerang.domain.money import Money
from boomerang.services import fees
from boomerang.services.ports.providers import InvoiceDocument
from boomerang.services.queries import Page, TransactionFilters
from boomerang.services.unit_of_work import UnitOfWork
from boomerang.spreadsheet_cells import csv_pieces

CSV_COLUMNS = ["id", "created_at", "transaction_type", "return_id", "work_order_id", "amount", "currency_code"]


def set_fee_schedule(uow: UnitOfWork, *, merchant_id: str, fees_by_name: dict[str, Money]) -> FeeSchedule:
    """Set a merchant's fee schedule: every fee in the merchant's currency."""
    currency = uow.tenants.merchant(merchant_id).currency_code
    schedule = FeeSchedule(merchant_id=merchant_id, **fees_by_name)
    validate_fee_schedule(schedule, currency)
    uow.billing.save_fee_schedule(schedule)
    uow.commit()
    return schedule


def get_fee_schedule(uow: UnitOfWork, *, merchant_id: str) -> FeeSchedule:
    """The merchant's saved schedule, or the configured defaults in its currency."""
    return fees.fee_schedule(uow, merchant_id)


def _day_start(d: date) -> datetime:
    return datetime.combine(d, time.min, tzinfo=UTC)


def list_transactions(
    uow: UnitOfWork,
    *,
    start_date: date | None,
    end_date: date | None,
    transaction_type: TransactionType | None,
    return_id: str | None,
    work_order_id: str | None,
    cursor: str | None,
    limit: int,
) -> Page[Transaction]:
    """A merchant's fee transactions, newest first; dates are inclusive UTC days."""
    filters = TransactionFilters(
        start=_day_start(start_date) if start_date else None,
        end=_day_start(end_date + timedelta(days=1)) if end_date and end_date < date.max else None,
        transaction_type=transaction_type,
        return_id=return_id,
        work_order_id=work_order_id,
    )
    return uow.billing.list_transactions(_merchant(uow), filters, cursor, limit)


def _merchant(uow: UnitOfWork) -> str:
    merchant_id = uow.require_merchant()
    return merchant_id


def _invoice(uow: UnitOfWork, period: Period) -> Invoice:
    merchant_id = _merchant(uow)
    currency = uow.tenants.merchant(merchant_id).currency_code
    totals = uow.billing.totals_by_type(merchant_id, period.start, period.end)
    return build_invoice(merchant_id, period, currency, totals)


def invoice(uow: UnitOfWork, *, period: str) -> Invoice:
    """A month's invoice: the month's transactions summed by type."""
    return _invoice(uow, Period.parse(period))


def invoice_csv(uow: UnitOfWork, *, period: str) -> str:
    """Every transaction of the month, one row each (their amounts add up to the invoice total)."""
    p = Period.parse(period)
    return "".join(csv_pieces(CSV_COLUMNS, _transaction_cells(uow, p)))


def _transaction_cells(uow: UnitOfWork, p: Period) -> Iterator[list[str]]:
    for row in uow.billing.transactions_between(_merchant(uow), p.start, p.end):
        amount = Money(row.amount, row.currency)
        created_at = row.created_at.isoformat().replace("+00:00", "Z")
        ids = [row.id, created_at, row.transaction_type.value, row.return_id or "", row.work_order_id or ""]
        yield [*ids, amount.formatted(), amount.currency]


def invoice_pdf(uow: UnitOfWork, *, period: str) -> bytes:
    inv = _invoice(uow, Period.parse(period))
    merchant = uow.tenants.merchant(inv.merchant_id)
    rows = uow.billing.transactions_between(inv.merchant_id, inv.period.start, inv.period.end)
    return uow.providers.documents.invoice(
        InvoiceDocument(
            merchant_name=merchant.name,
            merchant_id=merchant.id,
            period=str(inv.period),
            currency=inv.currency,
            summary=[(line.transaction_type.value, line.count, line.amount.formatted()) for line in inv.lines],
            total=inv.total.formatted(),
            transactions=[
                (
                    row.created_at.strftime("%Y-%m-%d %H:%M"),
                    row.transaction_type.value,
                    row.return_id or row.work_order_id or "",
                    Money(row.amount, row.currency).formatted(),
                )
                for row in rows
            ],
        )
    )
