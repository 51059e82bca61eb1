"""Quarantine: quarantined units with their age, and Disposal/B2C/B2B work orders to move them out."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.responses import RedirectResponse, Response

from boomerang.domain.addresses import Address
from boomerang.domain.errors import DomainError, FieldError, NotFound, ValidationFailed
from boomerang.domain.work_orders import WorkOrderType
from boomerang.entrypoints.web.deps import MerchantPage, verify_csrf
from boomerang.entrypoints.web.templating import flash, page
from boomerang.services import work_orders as work_order_cases
from boomerang.services.read_models.quarantine import quarantine_view
from boomerang.services.work_orders import ItemRequest

router = APIRouter(dependencies=[Depends(verify_csrf)])
ADDRESS_FIELDS = ("name", "line1", "city", "postal_code", "country")


@router.get("/quarantine")
def quarantine(request: Request, uow: MerchantPage, cursor: str | None = None) -> Response:
    with uow:
        return _page(request, uow, {}, [])


def _page(request: Request, uow: MerchantPage, form: dict[str, str], errors: list[str], status: int = 200) -> Response:
    view = quarantine_view(uow, cursor=request.query_params.get("cursor"))
    fcs = {fc.id: fc.name for fc in uow.tenants.fulfillment_centers()}
    skus = {
        p.id: p.sku for p in uow.products.by_ids([i.product_id for w in view.work_orders for i in w.items]).values()
    }
    context = {"v": view, "fcs": fcs, "skus": skus, "types": list(WorkOrderType), "form": form, "errors": errors}
    return page(request, "dashboard/quarantine.html", context, status_code=status)


@router.post("/quarantine/work-orders")
async def create_work_order(request: Request, uow: MerchantPage) -> Response:
    raw = await request.form()
    form = {k: str(v).strip()[:200] for k, v in raw.items() if isinstance(v, str) and k != "csrf_token"}
    try:
        position = form.get("position", "")
        product_id, fc_id, lot = [*position.split("|", 2), "", "", ""][:3]
        quantity = form.get("quantity", "")
        if not quantity.isdigit() or int(quantity) < 1:
            raise ValidationFailed("quantity", details=[FieldError("quantity", "a whole number of at least 1")])
        kind = WorkOrderType(form.get("type", ""))
        ship_to = None
        if kind is not WorkOrderType.Disposal:
            ship_to = Address(**{f: form.get(f"ship_to_{f}", "") for f in ADDRESS_FIELDS})
        with uow:
            work_order_cases.create_work_order(
                uow,
                type=kind,
                fulfillment_center_id=fc_id,
                items=[ItemRequest(product_id, int(quantity), lot or None)],
                ship_to=ship_to,
            )
    except (DomainError, ValueError, TypeError) as error:
        details = error.details if isinstance(error, DomainError) else []
        messages = [f"{d.field}: {d.message}" for d in details] or [getattr(error, "message", str(error))]
        with uow:
            return _page(request, uow, form, messages, status=422)
    response = RedirectResponse("/quarantine", status_code=303)
    flash(request, response, f"{kind.value} work order created.")
    return response


@router.post("/quarantine/work-orders/{work_order_id}/cancel")
def cancel_work_order(request: Request, uow: MerchantPage, work_order_id: str) -> Response:
    response = RedirectResponse("/quarantine", status_code=303)
    try:
        with uow:
            work_order_cases.cancel_work_order(uow, work_order_id=work_order_id)
        flash(request, response, "Work order cancelled.")
    except DomainError as error:
        if isinstance(error, NotFound):
            raise
        flash(request, response, f"Not cancelled: {error.message}", "error")
    return response
