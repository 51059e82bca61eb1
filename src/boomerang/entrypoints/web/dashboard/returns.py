"""Returns: the filtered list with status tabs, export, new return, a return's page, edit and cancel."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from boomerang.domain.addresses import Address
from boomerang.domain.errors import DomainError, FieldError, NotFound, ValidationFailed
from boomerang.domain.labels import LabelType, holds_dangerous_goods
from boomerang.domain.return_rules import REFERENCE_ID_RULE, reference_id_is_valid
from boomerang.domain.returns import ReturnOrder, ReturnStatus
from boomerang.entrypoints.web.dashboard.csv_response import csv_download
from boomerang.entrypoints.web.dashboard.filters import RETURN_FILTER_KEYS, query_with, return_filters
from boomerang.entrypoints.web.dashboard.return_forms import NewReturnForm, form_choices
from boomerang.entrypoints.web.deps import MerchantLaggingPage, MerchantPage, verify_csrf
from boomerang.entrypoints.web.templating import flash, page
from boomerang.services import returns as return_cases
from boomerang.services.labels import attach_label, label_rates
from boomerang.services.read_models.catalog import picker_matches
from boomerang.services.read_models.returns import (
    action_in_words,
    all_returns,
    return_details,
    returns_page,
)

router = APIRouter(dependencies=[Depends(verify_csrf)])
EXPORT_HEADER = [
    "id", "reference_id", "status", "return_type", "channel", "fulfillment_center_id", "customer_name",
    "store_order_id", "tracking_number", "created", "arrived", "completed", "skus", "units", "actions_taken",
]  # fmt: skip


@router.get("/returns")
def returns_list(request: Request, uow: MerchantLaggingPage, cursor: str | None = None) -> Response:
    filters = return_filters(request.query_params)
    params = request.query_params
    with uow:  # rendered inside: the domain objects load their lines as the template reads them
        data = returns_page(uow, filters=filters, cursor=cursor)
        return page(
            request,
            "dashboard/returns_list.html",
            {
                "data": data,
                "params": params,
                "statuses": list(ReturnStatus),
                "total": sum(data.counts.values()),
                "tab_query": lambda status: query_with(params, RETURN_FILTER_KEYS, status=status),
                "next_query": query_with(params, RETURN_FILTER_KEYS, cursor=data.next_cursor)
                if data.next_cursor
                else None,
                "export_query": query_with(params, RETURN_FILTER_KEYS),
                "action_words": action_in_words,
            },
        )


@router.get("/returns/export.csv")
def returns_export(request: Request, uow: MerchantLaggingPage) -> Response:
    filters = return_filters(request.query_params)
    return csv_download("returns.csv", EXPORT_HEADER, (_export_row(o) for o in all_returns(uow, filters=filters)))


def _export_row(order: ReturnOrder) -> list[Any]:
    actions = [
        f"{line.sku}:{a.action.value}x{a.quantity_processed}" for line in order.lines for a in line.actions_taken
    ]
    return [
        order.id, order.reference_id, order.status.value if order.status else "", order.return_type.value,
        order.channel.value, order.fulfillment_center_id, order.customer_name, order.store_order_id,
        order.tracking_number, order.insert_date.isoformat(), order.arrived_date and order.arrived_date.isoformat(),
        order.completed_date and order.completed_date.isoformat(), " ".join(line.sku for line in order.lines),
        sum(line.quantity for line in order.lines), " ".join(actions),
    ]  # fmt: skip


@router.get("/returns/check-reference")
def check_reference(uow: MerchantPage, reference_id: str = "") -> Response:
    """As-you-type validation of a reference id with the same rules the server applies on submit."""
    if not reference_id_is_valid(reference_id):
        return JSONResponse({"ok": False, "message": REFERENCE_ID_RULE})
    with uow:
        in_use = uow.returns.reference_in_use(uow.principal.merchant_id or "", reference_id)
    if in_use:
        return JSONResponse({"ok": False, "message": "another live return already uses this reference id"})
    return JSONResponse({"ok": True, "message": "reference id is free"})


@router.get("/returns/product-search")
def product_search(uow: MerchantPage, q: str = "") -> Response:
    """The product picker's matches for what was typed (SKU prefix, then SKU, name or barcode), at most 20."""
    with uow:
        matches = picker_matches(uow, q=q)
    items = [{"sku": m.sku, "name": m.name, "barcodes": list(m.barcodes), "advice": list(m.advice)} for m in matches]
    return JSONResponse({"items": items}, headers={"Cache-Control": "private, no-store"})


@router.get("/returns/new")
def new_return_form(request: Request, uow: MerchantPage) -> Response:
    with uow:
        return page(request, "dashboard/return_new.html", {**form_choices(uow, NewReturnForm.empty()), "errors": []})


@router.post("/returns/new")
async def create_return(request: Request, uow: MerchantPage) -> Response:
    form = NewReturnForm.parse(await request.form())
    try:
        with uow:
            created = return_cases.create_return_and_commit(uow, **form.command())
    except DomainError as error:
        with uow:
            context = {**form_choices(uow, form), "errors": form.error_messages(error)}
            return page(request, "dashboard/return_new.html", context, status_code=422)
    response = RedirectResponse(f"/returns/{created.order.id}", status_code=303)
    flash(request, response, f"Return {form.reference_id} created.")
    return response


@router.get("/returns/{return_id}")
def return_page(request: Request, uow: MerchantPage, return_id: str) -> Response:
    with uow:
        return _return_page(request, uow, return_id, [])


def _return_page(request: Request, uow: MerchantPage, return_id: str, label_errors: list[str]) -> Response:
    details = return_details(uow, return_id=return_id)
    order = details.order
    can_add_label = order.is_editable and order.label is None
    prepaid_only = holds_dangerous_goods(details.products.values())
    rates = label_rates(uow, order=order) if can_add_label and not prepaid_only else []
    context = {
        "d": details,
        "o": order,
        "products": details.products,
        "action_words": action_in_words,
        "rates": rates,
        "can_add_label": can_add_label,
        "prepaid_only": prepaid_only,
        "label_errors": label_errors,
        "fc": details.fulfillment_center,
    }
    return page(request, "dashboard/return_detail.html", context, status_code=422 if label_errors else 200)


@router.post("/returns/{return_id}/label")
async def add_label(request: Request, uow: MerchantPage, return_id: str) -> Response:
    """Buy a label at a shown rate, the cheapest one, or register the merchant's own (Prepaid)."""
    form = {k: str(v).strip()[:200] for k, v in (await request.form()).items() if isinstance(v, str)}
    choice = form.get("label", "")
    try:
        kind, carrier, service = _label_choice(choice)
        origin = Address(
            **{f: form.get(f"origin_{f}", "") for f in ("name", "line1", "city", "postal_code", "country")}
        )
        with uow:
            attach_label(
                uow,
                return_id=return_id,
                label_type=kind,
                origin=origin,
                carrier=form.get("prepaid_carrier") or None if kind is LabelType.Prepaid else carrier,
                service=service,
                tracking_number=form.get("prepaid_tracking") or None,
            )
    except DomainError as error:
        if isinstance(error, NotFound):
            raise
        with uow:
            return _return_page(
                request, uow, return_id, [f"{d.field}: {d.message}" for d in error.details] or [error.message]
            )
    response = RedirectResponse(f"/returns/{return_id}", status_code=303)
    flash(request, response, "Label added.")
    return response


def _label_choice(choice: str) -> tuple[LabelType, str | None, str | None]:
    if choice == "optimized":
        return LabelType.Optimized, None, None
    if choice == "prepaid":
        return LabelType.Prepaid, None, None
    if choice.startswith("rate:") and "|" in choice:
        carrier, service = choice.removeprefix("rate:").split("|", 1)
        return LabelType.CarrierSpecific, carrier, service
    raise ValidationFailed(
        "choose a label", details=[FieldError("label", "choose a rate, the cheapest, or your own label")]
    )


@router.get("/returns/{return_id}/edit")
def edit_form(request: Request, uow: MerchantPage, return_id: str) -> Response:
    with uow:
        order = return_details(uow, return_id=return_id).order
        context = {**form_choices(uow, NewReturnForm.of(order)), "o": order, "errors": []}
        return page(request, "dashboard/return_edit.html", context)


@router.post("/returns/{return_id}/edit")
async def edit(request: Request, uow: MerchantPage, return_id: str) -> Response:
    form = NewReturnForm.parse(await request.form())
    try:
        lines = form.command()["lines"]
        with uow:
            return_cases.edit_return(uow, return_id=return_id, changes=form.changes(), lines=lines)
    except DomainError as error:
        if isinstance(error, NotFound):
            raise
        with uow:
            order = return_details(uow, return_id=return_id).order
            context = {**form_choices(uow, form), "o": order, "errors": form.error_messages(error)}
            return page(request, "dashboard/return_edit.html", context, status_code=422)
    response = RedirectResponse(f"/returns/{return_id}", status_code=303)
    flash(request, response, "Return updated.")
    return response


@router.post("/returns/{return_id}/cancel")
def cancel(request: Request, uow: MerchantPage, return_id: str) -> Response:
    response = RedirectResponse(f"/returns/{return_id}", status_code=303)
    try:
        with uow:
            return_cases.cancel_return(uow, return_id=return_id)
        flash(request, response, "Return cancelled.")
    except DomainError as error:
        if isinstance(error, NotFound):
            raise
        flash(request, response, f"Not cancelled: {error.message}", "error")
    return response


@router.get("/returns/{return_id}/label.pdf")
def label(uow: MerchantPage, return_id: str) -> Response:
    from boomerang.services.labels import label_pdf

    with uow:
        pdf = label_pdf(uow, return_id=return_id)
    return Response(pdf, media_type="application/pdf")


@router.get("/photos/{photo_id}")
def photo(uow: MerchantPage, photo_id: str) -> Response:
    from boomerang.services.photos import read_photo

    with uow:
        data, content_type = read_photo(uow, photo_id=photo_id)
    return Response(data, media_type=content_type, headers={"Cache-Control": "private, max-age=3600"})
