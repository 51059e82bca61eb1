"""Billing: the admin's fee schedules; the merchant's transactions and monthly invoices."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from boomerang.domain.billing import TransactionType
from boomerang.domain.money import Money
from boomerang.entrypoints.http.deps import AdminUoW, MerchantUoW
from boomerang.schemas.billing import FeeScheduleIn, FeeScheduleRead, InvoiceRead
from boomerang.schemas.common import Limit, Page
from boomerang.schemas.returns import TransactionRead
from boomerang.services import billing

router = APIRouter(tags=["billing"])
PeriodPath = Annotated[str, Path(pattern=r"^\d{4}-\d{2}$", examples=["2026-11"])]


@router.put("/admin/merchants/{merchant_id}/fee-schedule", response_model=FeeScheduleRead, tags=["admin"])
def set_fee_schedule(merchant_id: str, body: FeeScheduleIn, uow: AdminUoW) -> FeeScheduleRead:
    """Every fee in the merchant's currency (else 422 `currency_mismatch`)."""
    fees = {name: Money.parse(m.amount, m.currency_code) for name, m in body}
    with uow:
        return FeeScheduleRead.from_domain(billing.set_fee_schedule(uow, merchant_id=merchant_id, fees_by_name=fees))


@router.get("/admin/merchants/{merchant_id}/fee-schedule", response_model=FeeScheduleRead, tags=["admin"])
def get_fee_schedule(merchant_id: str, uow: AdminUoW) -> FeeScheduleRead:
    """The saved schedule, or the configured defaults in the merchant's currency."""
    with uow:
        return FeeScheduleRead.from_domain(billing.get_fee_schedule(uow, merchant_id=merchant_id))


@router.get("/transactions", response_model=Page[TransactionRead])
def list_transactions(
    uow: MerchantUoW,
    start_date: date | None = None,
    end_date: date | None = None,
    transaction_type: TransactionType | None = None,
    return_id: str | None = None,
    work_order_id: str | None = None,
    cursor: str | None = None,
    limit: Limit = 50,
) -> Page[TransactionRead]:
    """Newest first; `start_date`/`end_date` are inclusive UTC days of `created_at`."""
    with uow:
        page = billing.list_transactions(
            uow,
            start_date=start_date,
            end_date=end_date,
            transaction_type=transaction_type,
            return_id=return_id,
            work_order_id=work_order_id,
            cursor=cursor,
            limit=limit,
        )
    return Page[TransactionRead](
        items=[TransactionRead.from_domain(t) for t in page.items], next_cursor=page.next_cursor
    )


@router.get("/invoices", response_model=InvoiceRead)
def get_invoice(uow: MerchantUoW, period: Annotated[str, Query(examples=["2026-11"])]) -> InvoiceRead:
    """The UTC calendar month's transactions summed by type (422 `invalid_period` unless YYYY-MM)."""
    with uow:
        return InvoiceRead.from_domain(billing.invoice(uow, period=period))


@router.get(
    "/invoices/{period}.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "one row per transaction of the month"}},
)
def invoice_csv(period: PeriodPath, uow: MerchantUoW) -> Response:
    with uow:
        text = billing.invoice_csv(uow, period=period)
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="invoice-{period}.csv"'},
    )


@router.get(
    "/invoices/{period}.pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}, "description": "the invoice as a PDF"}},
)
def invoice_pdf(period: PeriodPath, uow: MerchantUoW) -> Response:
    with uow:
        pdf = billing.invoice_pdf(uow, period=period)
    return Response(
        pdf, media_type="application/pdf", headers={"Content-Disposition": f'inline; filename="invoice-{period}.pdf"'}
    )
