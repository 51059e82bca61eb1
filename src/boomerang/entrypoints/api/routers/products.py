"""Products and return preferences (merchant)."""

from __future__ import annotations

from collections.abc import Iterable

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response, StreamingResponse
from pydantic import ValidationError

from boomerang import untrusted_json
from boomerang.domain.error_codes import CommonErrorCode, ErrorCode
from boomerang.domain.errors import DomainError, FieldError, PayloadTooLarge, ValidationFailed
from boomerang.domain.products import Category, ReturnPreferences
from boomerang.entrypoints.http.deps import MerchantExportUoW, MerchantUoW
from boomerang.entrypoints.preferences_csv import PreferenceCsv
from boomerang.entrypoints.streaming import stream_in
from boomerang.schemas.common import Limit, Page
from boomerang.schemas.products import (
    BulkPreferencesIn,
    BulkResult,
    ProductCreate,
    ProductRead,
    ProductUpdate,
    ReturnPreferencesDetail,
    ReturnPreferencesIn,
)
from boomerang.services import products
from boomerang.services.products import PreferenceRow, ProductChanges, ProductFields
from boomerang.services.queries import ProductFilters
from boomerang.services.unit_of_work import UnitOfWork

router = APIRouter(tags=["products"])


def _preferences(body: ReturnPreferencesIn) -> ReturnPreferences:
    return ReturnPreferences(body.return_action, body.rts_action, body.backup_action, tuple(body.inspection_steps))


@router.post("/products", status_code=201, response_model=ProductRead)
def create_product(body: ProductCreate, uow: MerchantUoW) -> ProductRead:
    details = ProductFields(**body.model_dump(exclude={"return_preferences"}))
    prefs = _preferences(body.return_preferences) if body.return_preferences else None
    with uow:
        return ProductRead.from_domain(products.create_product(uow, details=details, preferences=prefs))


@router.get("/products", response_model=Page[ProductRead])
def list_products(
    uow: MerchantUoW,
    sku: str | None = None,
    q: str | None = None,
    category: Category | None = None,
    preferences_configured: bool | None = None,
    quarantined: bool | None = None,
    cursor: str | None = None,
    limit: Limit = 50,
) -> Page[ProductRead]:
    filters = ProductFilters(sku, q, category, preferences_configured, quarantined)
    with uow:
        page = products.list_products(uow, filters=filters, cursor=cursor, limit=limit)
        return Page[ProductRead](items=[ProductRead.from_domain(p) for p in page.items], next_cursor=page.next_cursor)


@router.get(
    "/products/return-preferences/export",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "every product's preferences"}},
)
def export_preferences(uow: MerchantExportUoW) -> Response:
    return StreamingResponse(
        stream_in(uow, products.export_preferences_csv),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="return-preferences.csv"'},
    )


@router.post(
    "/products/return-preferences/bulk",
    response_model=BulkResult,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": BulkPreferencesIn.model_json_schema(ref_template="#/components/schemas/{model}")
                },
                "text/csv": {"schema": {"type": "string"}},
            },
        }
    },
)
async def bulk_preferences(request: Request, uow: MerchantUoW) -> BulkResult:
    """JSON `{items: [...]}` or a CSV file; all-or-nothing. A CSV is read as a stream: checked whole first
    (encoding, syntax, header, row count), then its rows go to the use case a chunk at a time."""
    raw = await request.body()
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    # Parsing and writing up to 100,000 rows takes seconds: in a worker thread, never on the event loop.
    return await run_in_threadpool(_bulk_update, uow, raw, content_type)


def _bulk_update(uow: UnitOfWork, raw: bytes, content_type: str) -> BulkResult:
    max_rows = uow.settings.max_bulk_rows
    rows: Iterable[PreferenceRow]
    if content_type in ("text/csv", "application/csv"):
        upload = PreferenceCsv.of_bytes(raw)
        label = "rows"
        _check_row_count(upload.check(), max_rows, label)
        rows = upload.rows()
    else:
        rows = _json_rows(raw, max_rows)
        label = "items"
    with uow:
        return BulkResult(updated=products.bulk_update_preferences(uow, rows=rows, label=label).updated)


def _json_rows(raw: bytes, max_rows: int) -> list[PreferenceRow]:
    from boomerang.entrypoints.http.errors import _field_path

    try:
        payload = untrusted_json.loads(raw)
    except untrusted_json.UntrustedJson as error:
        raise MalformedBody(f"the request body is not usable JSON or CSV: {error}")
    if isinstance(payload, dict) and isinstance(payload.get("items"), list):
        _check_row_count(len(payload["items"]), max_rows, "items")
    try:
        body = BulkPreferencesIn.model_validate(payload)
    except ValidationError as error:
        details = [FieldError(_field_path(tuple(e["loc"])), e["msg"]) for e in error.errors()]
        raise ValidationFailed("the request is not valid", details=details)
    return [
        PreferenceRow(
            sku=item.sku,
            return_action=item.return_action,
            rts_action=item.rts_action,
            backup_action=item.backup_action,
            inspection_steps=None if item.inspection_steps is None else tuple(item.inspection_steps),
        )
        for item in body.items
    ]


def _check_row_count(count: int, max_rows: int, label: str) -> None:
    if count > max_rows:
        raise PayloadTooLarge(
            f"at most {max_rows} {label} per upload; this one has {count} (split it into several uploads)",
            code=CommonErrorCode.TOO_MANY_ROWS,
            details=[FieldError(label, f"at most {max_rows}")],
        )


class MalformedBody(DomainError):
    """Answered with 400: the body cannot be parsed at all."""

    code: ErrorCode = CommonErrorCode.MALFORMED_JSON


@router.get("/products/{product_id}", response_model=ProductRead)
def get_product(product_id: str, uow: MerchantUoW) -> ProductRead:
    with uow:
        return ProductRead.from_domain(products.get_product(uow, product_id=product_id))


@router.patch("/products/{product_id}", response_model=ProductRead)
def update_product(product_id: str, body: ProductUpdate, uow: MerchantUoW) -> ProductRead:
    values = body.model_dump(exclude_unset=True)
    nulls = [FieldError(k, f"{k} cannot be null") for k, v in values.items() if v is None]
    if nulls:
        raise ValidationFailed("fields cannot be null", details=nulls)
    with uow:
        return ProductRead.from_domain(
            products.update_product(uow, product_id=product_id, changes=ProductChanges(**values))
        )


@router.get("/products/{product_id}/return-preferences", response_model=ReturnPreferencesDetail)
def get_preferences(product_id: str, uow: MerchantUoW) -> ReturnPreferencesDetail:
    """The product's preferences, and `inspection_limitations`: what an inspection step cannot ask for."""
    with uow:
        return ReturnPreferencesDetail.from_domain(products.get_product(uow, product_id=product_id))


@router.put("/products/{product_id}/return-preferences", response_model=ReturnPreferencesDetail)
def put_preferences(product_id: str, body: ReturnPreferencesIn, uow: MerchantUoW) -> ReturnPreferencesDetail:
    """Replace the preferences (marks them configured). Steps the warehouse cannot carry out are listed in
    `inspection_limitations`; advice on the product warns when a lot-tracked, kitted or SIOC product restocks."""
    with uow:
        product = products.put_preferences(uow, product_id=product_id, preferences=_preferences(body))
        return ReturnPreferencesDetail.from_domain(product)
