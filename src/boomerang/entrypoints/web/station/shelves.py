"""Queue, Unidentified and Work orders: what waits at this FC, oldest first."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from boomerang.domain.error_codes import ReturnErrorCode
from boomerang.domain.errors import Conflict, NotFound, PayloadTooLarge, ValidationFailed
from boomerang.entrypoints.uploads import photo_bytes
from boomerang.entrypoints.web.deps import verify_csrf
from boomerang.entrypoints.web.station.context import Station, StationPage
from boomerang.entrypoints.web.station.process import form_data
from boomerang.entrypoints.web.templating import flash
from boomerang.services import photos, station, unidentified, work_orders

router = APIRouter(prefix="/station", dependencies=[Depends(verify_csrf)])
Text = Annotated[str, Form(max_length=2000)]


@router.get("/queue")
def queue(request: Request, here: StationPage) -> Response:
    with here.uow as uow:
        entries = station.processing_queue(uow, fulfillment_center_id=here.fc.id)
        return here.render(request, "station/queue.html", {"entries": entries})


def _unidentified_page(
    request: Request, here: Station, status_code: int = 200, error: str | None = None, package_id: str = ""
) -> Response:
    with here.uow as uow:
        waiting = unidentified.waiting_packages(uow, fulfillment_center_id=here.fc.id)
        context = {"waiting": waiting, "error": error, "error_package": package_id}
        return here.render(request, "station/unidentified.html", context, status_code=status_code)


@router.get("/unidentified")
def unidentified_list(request: Request, here: StationPage) -> Response:
    return _unidentified_page(request, here)


@router.post("/unidentified/{package_id}/photos")
def unidentified_photo(
    request: Request, here: StationPage, package_id: str, file: Annotated[UploadFile, File()]
) -> Response:
    if not file.filename:
        return _unidentified_page(request, here, 422, "Choose a photo first.", package_id)
    try:
        with photo_bytes(file.file, here.uow.settings.max_photo_bytes) as data:
            kind = photos.check_photo(data, here.uow)
            with here.uow as uow:
                photos.upload_unidentified_photo(uow, package_id=package_id, data=data, kind=kind)
    except (ValidationFailed, PayloadTooLarge) as error:
        return _unidentified_page(request, here, 422, f"{error.message}.", package_id)
    response = RedirectResponse(f"/station/unidentified#package-{package_id}", status_code=303)
    flash(request, response, "Photo added.")
    return response


@router.post("/unidentified/{package_id}/resolve")
def resolve(request: Request, here: StationPage, package_id: str, scanned: Text = "") -> Response:
    """Scan or type the reference or tracking number found inside: the return arrives."""
    try:
        with here.uow as uow:
            order = unidentified.resolve_by_scan(uow, package_id=package_id, scanned=scanned)
            return_id = order.id
    except (NotFound, Conflict, ValidationFailed) as error:
        if isinstance(error, NotFound) and error.code != ReturnErrorCode.RETURN_NOT_FOUND:
            raise
        return _unidentified_page(request, here, 422, f"{error.message}.", package_id)
    # Receive says what happened: "matched", the return has arrived
    return RedirectResponse(f"/station?outcome=matched&return_id={return_id}", status_code=303)


@router.get("/work-orders")
def work_order_list(request: Request, here: StationPage) -> Response:
    with here.uow as uow:
        orders = station.open_work_orders(uow, fulfillment_center_id=here.fc.id)
        return here.render(request, "station/work_orders.html", {"orders": orders})


@router.post("/work-orders/{work_order_id}/complete")
def complete_work_order(
    request: Request, here: StationPage, work_order_id: str, form: Annotated[FormData, Depends(form_data)]
) -> Response:
    """Complete with the units actually picked per item (`picked-<item id>`; empty means all of them)."""
    picked: dict[str, int] = {}
    for key, value in form.items():
        if key.startswith("picked-") and isinstance(value, str) and value.strip():
            if not value.strip().isdigit():
                return _refuse_work_order(request, f"Picked is a whole number, not {value.strip()!r}")
            picked[key.removeprefix("picked-")] = int(value)
    try:
        with here.uow as uow:
            work_orders.complete_work_order(uow, work_order_id=work_order_id, picked=picked)
    except (Conflict, ValidationFailed) as error:
        details = "; ".join(d.message for d in error.details)
        return _refuse_work_order(request, f"{error.message}{': ' + details if details else ''}")
    response = RedirectResponse("/station/work-orders", status_code=303)
    flash(request, response, "Work order completed: the picked units have left quarantine.")
    return response


def _refuse_work_order(request: Request, message: str) -> Response:
    response = RedirectResponse("/station/work-orders", status_code=303)
    flash(request, response, f"{message}. Nothing was changed.", "error")
    return response
