"""Products: the catalog with its filters, a product's stock and preferences, bulk preferences by CSV."""

from __future__ import annotations

import re

from fastapi import APIRouter, Depends, Request
from starlette.datastructures import UploadFile
from starlette.responses import RedirectResponse, Response, StreamingResponse

from boomerang.domain.errors import DomainError, FieldError, NotFound, ValidationFailed
from boomerang.domain.products import INSPECTION_LIMITATIONS, Action, BackupAction, ReturnPreferences
from boomerang.entrypoints.preferences_csv import PreferenceCsv
from boomerang.entrypoints.streaming import stream_in
from boomerang.entrypoints.web.dashboard.filters import query_with
from boomerang.entrypoints.web.dashboard.pending_uploads import KEPT_FOR, PendingUploads, UploadGone
from boomerang.entrypoints.web.deps import MerchantLaggingPage, MerchantPage, SignedIn, verify_csrf
from boomerang.entrypoints.web.templating import flash, page
from boomerang.services import products as product_cases
from boomerang.services.products import PreferencePlan
from boomerang.services.queries import ProductFilters
from boomerang.services.read_models.catalog import product_details, products_page
from boomerang.services.web_sessions import WebSession

router = APIRouter(dependencies=[Depends(verify_csrf)])
PRODUCT_FILTER_KEYS = ("q", "preferences", "quarantine")
MAX_CSV_BYTES = 2 * 1024 * 1024
KEPT_MINUTES = int(KEPT_FOR.total_seconds() // 60)
ROW_FIELD = re.compile(r"^row\[(\d+)\]\.?(.*)$")


def _product_filters(q: str | None, preferences: str | None, quarantine: str | None) -> ProductFilters:
    q = (q or "").strip()[:200] or None
    quarantined = True if quarantine == "1" else None
    if q is not None and q.lower() == "quarantine":  # as ShipBob users expect: products holding quarantined stock
        q, quarantined = None, True
    configured = False if preferences == "unconfigured" else (True if preferences == "configured" else None)
    return ProductFilters(q=q, preferences_configured=configured, quarantined=quarantined)


@router.get("/products")
def products_list(
    request: Request,
    uow: MerchantPage,
    q: str | None = None,
    preferences: str | None = None,
    quarantine: str | None = None,
    cursor: str | None = None,
) -> Response:
    filters = _product_filters(q, preferences, quarantine)
    params = request.query_params
    with uow:
        result = products_page(uow, filters=filters, cursor=cursor)
        next_query = query_with(params, PRODUCT_FILTER_KEYS, cursor=result.next_cursor) if result.next_cursor else None
        context = {"products": result.items, "params": params, "next_query": next_query}
        return page(request, "dashboard/products_list.html", context)


@router.get("/products/bulk")
def bulk_form(request: Request, uow: MerchantPage) -> Response:
    return page(request, "dashboard/products_bulk.html", _bulk_context())


@router.get("/products/bulk/preferences.csv")
def bulk_download(uow: MerchantLaggingPage) -> Response:
    return StreamingResponse(
        stream_in(uow, product_cases.export_preferences_csv),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="preferences.csv"'},
    )


@router.post("/products/bulk")
async def bulk_preview(request: Request, uow: MerchantPage, session: SignedIn) -> Response:
    """Upload: a preview of every change, or every row's problems; nothing changes yet. The file is kept
    on the server for its Confirm, which sends only the token of the preview."""
    upload = (await request.form()).get("file")
    pending, now = _pending(request), request.app.state.clock()
    pending.sweep(now)
    try:
        if not isinstance(upload, UploadFile):
            raise ValidationFailed("choose a CSV file to upload")
        data = await _read_upload(upload)
        with uow:
            plan = product_cases.plan_preferences(uow, rows=PreferenceCsv.of_bytes(data).rows(), label="row")
            errors = _row_errors(plan.errors)
            if errors:
                return page(request, "dashboard/products_bulk.html", _bulk_context(errors=errors), status_code=422)
            token = pending.keep(data, owner=_owner(session), now=now)
            return page(request, "dashboard/products_bulk.html", _bulk_context(plan=plan, token=token))
    except DomainError as error:
        errors = _row_errors(error.details) or [("File", error.message)]
        return page(request, "dashboard/products_bulk.html", _bulk_context(errors=errors), status_code=422)


@router.post("/products/bulk/confirm")
async def bulk_confirm(request: Request, uow: MerchantPage, session: SignedIn) -> Response:
    """Apply the previewed file, kept on the server under the form's token: all rows or none."""
    token = str((await request.form()).get("token") or "")
    pending = _pending(request)
    try:
        with pending.claimed(token, owner=_owner(session), now=request.app.state.clock()) as path, uow:
            rows = PreferenceCsv.of_path(path).rows()
            updated = product_cases.bulk_update_preferences(uow, rows=rows, label="row").updated
    except UploadGone:
        gone = [("File", f"This preview is no longer available (previews are kept for {KEPT_MINUTES} minutes "
                 "and applied once); nothing was changed. Upload the file again.")]  # fmt: skip
        return page(request, "dashboard/products_bulk.html", _bulk_context(errors=gone), status_code=410)
    except DomainError as error:
        errors = _row_errors(error.details) or [("File", error.message)]
        return page(request, "dashboard/products_bulk.html", _bulk_context(errors=errors), status_code=422)
    response = RedirectResponse("/products", status_code=303)
    flash(request, response, f"Return preferences of {updated} products updated.")
    return response


def _bulk_context(
    *, plan: PreferencePlan | None = None, errors: list[tuple[str, str]] | None = None, token: str = ""
) -> dict[str, object]:
    return {"plan": plan, "errors": errors or [], "token": token, "kept_minutes": KEPT_MINUTES}


def _pending(request: Request) -> PendingUploads:
    return PendingUploads.under(request.app.state.settings.data_dir)


def _owner(session: WebSession) -> str:
    """Whose preview a kept file is: the merchant's, in this signed-in browser only."""
    return f"{session.principal.merchant_id}:{session.session_id}"


async def _read_upload(upload: UploadFile) -> bytes:
    """The file, refused if it is over MAX_CSV_BYTES (what it holds is checked as its rows are read)."""
    try:
        data = await upload.read(MAX_CSV_BYTES + 1)
    finally:
        await upload.close()
    if len(data) > MAX_CSV_BYTES:
        raise ValidationFailed("the CSV is larger than 2 MB; split it into several files")
    return data


def _row_errors(details: list[FieldError]) -> list[tuple[str, str]]:
    """`row[2].return_action` -> ("Row 3 (line 4 of the file)", "return_action: ...")."""
    out = []
    for d in details:
        match = ROW_FIELD.match(d.field)
        if match:
            n = int(match.group(1))
            where = f"Row {n + 1} (line {n + 2} of the file)"
            out.append((where, f"{match.group(2).split('.')[0]}: {d.message}" if match.group(2) else d.message))
        else:
            out.append((d.field, d.message))
    return out


@router.get("/products/{product_id}")
def product_page(request: Request, uow: MerchantPage, product_id: str) -> Response:
    with uow:
        return _product_page(request, uow, product_id, [])


def _product_page(
    request: Request, uow: MerchantPage, product_id: str, errors: list[str], status: int = 200
) -> Response:
    details = product_details(uow, product_id=product_id)
    context = {
        "d": details,
        "p": details.product,
        "errors": errors,
        "actions": list(Action),
        "backup_actions": list(BackupAction),
        "limitations": INSPECTION_LIMITATIONS,
    }
    return page(request, "dashboard/product_detail.html", context, status_code=status)


@router.post("/products/{product_id}/preferences")
async def save_preferences(request: Request, uow: MerchantPage, product_id: str) -> Response:
    form = await request.form()
    try:
        preferences = ReturnPreferences(
            return_action=Action(str(form.get("return_action"))),
            rts_action=Action(str(form.get("rts_action"))),
            backup_action=BackupAction(str(form.get("backup_action"))),
            inspection_steps=tuple(s for n in (1, 2, 3) if (s := str(form.get(f"step_{n}") or "").strip())),
        )
        with uow:
            product_cases.put_preferences(uow, product_id=product_id, preferences=preferences)
    except (DomainError, ValueError) as error:
        if isinstance(error, NotFound):
            raise
        message = [f"{d.field}: {d.message}" for d in error.details] if isinstance(error, DomainError) else []
        with uow:
            return _product_page(request, uow, product_id, message or [str(error)], status=422)
    response = RedirectResponse(f"/products/{product_id}", status_code=303)
    flash(request, response, "Return preferences saved.")
    return response
