"""Billing: transactions with filters, invoices by month with CSV and PDF downloads."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from boomerang.domain.billing import TransactionType
from boomerang.domain.errors import FieldError, ValidationFailed
from boomerang.entrypoints.web.dashboard.filters import date_param, enum_param, query_with
from boomerang.entrypoints.web.deps import MerchantPage, verify_csrf
from boomerang.entrypoints.web.templating import page
from boomerang.services import billing as billing_cases
from boomerang.services.queries import TransactionFilters
from boomerang.services.read_models.billing import billing_view

router = APIRouter(dependencies=[Depends(verify_csrf)])
BILLING_FILTER_KEYS = ("type", "from", "to")


def _filters(request: Request) -> TransactionFilters:
    errors: list[FieldError] = []
    params = request.query_params
    kind = enum_param(params, "type", TransactionType, errors)
    start, end = date_param(params, "from", errors), date_param(params, "to", errors)
    if errors:
        raise ValidationFailed("; ".join(e.message for e in errors), details=errors)
    return TransactionFilters(
        start=datetime.combine(start, time.min, tzinfo=UTC) if start else None,
        end=datetime.combine(end + timedelta(days=1), time.min, tzinfo=UTC) if end else None,
        transaction_type=kind,
    )


@router.get("/billing")
def billing(request: Request, uow: MerchantPage, cursor: str | None = None) -> Response:
    filters = _filters(request)
    params = request.query_params
    with uow:
        view = billing_view(uow, filters=filters, cursor=cursor)
    next_query = query_with(params, BILLING_FILTER_KEYS, cursor=view.next_cursor) if view.next_cursor else None
    context = {"v": view, "params": params, "types": list(TransactionType), "next_query": next_query}
    return page(request, "dashboard/billing.html", context)


@router.get("/billing/invoices/{period}.csv")
def invoice_csv(uow: MerchantPage, period: str) -> Response:
    with uow:
        text = billing_cases.invoice_csv(uow, period=period)
    disposition = f'attachment; filename="invoice-{period}.csv"'
    return Response(text, media_type="text/csv", headers={"Content-Disposition": disposition})


@router.get("/billing/invoices/{period}.pdf")
def invoice_pdf(uow: MerchantPage, period: str) -> Response:
    with uow:
        pdf = billing_cases.invoice_pdf(uow, period=period)
    return Response(pdf, media_type="application/pdf")
