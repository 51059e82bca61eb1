"""Process (`/station/returns/{id}`): per line the facts, a live Decision from the domain, Complete."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Request, UploadFile
from starlette.datastructures import FormData
from starlette.datastructures import UploadFile as StarletteUpload
from starlette.responses import JSONResponse, RedirectResponse, Response

from boomerang.domain.errors import Conflict, DomainError, PayloadTooLarge, PreconditionFailed, ValidationFailed
from boomerang.domain.returns import ActionReason, ReturnStatus
from boomerang.entrypoints.uploads import photo_bytes
from boomerang.entrypoints.web.deps import verify_csrf
from boomerang.entrypoints.web.station.context import Station, StationPage
from boomerang.entrypoints.web.station.forms import LineForm, name
from boomerang.entrypoints.web.templating import templates
from boomerang.services import photos, station
from boomerang.services.station import LineFacts, LinePreview, ReturnToProcess

router = APIRouter(prefix="/station", dependencies=[Depends(verify_csrf)])

# The decision's reason in the operator's words.
REASON_WORDS = {
    ActionReason.IneligibleCategory: "this category is never restocked",
    ActionReason.MerchantPreference: "the merchant's preference",
    ActionReason.FailedInspection: "an inspection step failed: the backup action",
    ActionReason.UnclearInstructions: "the instructions were unclear: the backup action",
    ActionReason.ShelfLife: "expired or inside the minimum shelf life: the backup action",
    ActionReason.LotUnverified: "lot number, expiration date or lot photo missing: the backup action",
    ActionReason.NotReceived: "not in the package",
}
templates.env.globals["reason_words"] = REASON_WORDS
templates.env.globals["field_name"] = name


@router.post("/returns/{return_id}/open")
def open_return(here: StationPage, return_id: str) -> Response:
    """Enter on a received return: start processing it (if Arrived) and show the process page."""
    with here.uow as uow:
        order = station.open_for_processing(uow, return_id=return_id)
        return RedirectResponse(f"/station/returns/{order.id}", status_code=303)


def _render(
    request: Request,
    here: Station,
    work: ReturnToProcess,
    forms: dict[str, LineForm],
    status_code: int = 200,
    **context: Any,
) -> Response:
    previews = {line.id: _preview(here, work, line.id, forms[line.id]) for line in work.order.lines}
    values = {"work": work, "order": work.order, "forms": forms, "previews": previews, **context}
    return here.render(request, "station/process.html", values, status_code=status_code)


def _preview(here: Station, work: ReturnToProcess, line_id: str, form: LineForm) -> LinePreview | None:
    line = work.order.line(line_id)
    facts = form.facts(line, work.products[line.product_id])
    if facts is None:
        return None
    return station.preview_line(here.uow, return_id=work.order.id, line_id=line_id, facts=facts)


@router.get("/returns/{return_id}")
def process_page(request: Request, here: StationPage, return_id: str) -> Response:
    with here.uow as uow:
        work = station.return_to_process(uow, return_id=return_id)
        forms = {line.id: LineForm.initial(line, work.products[line.product_id]) for line in work.order.lines}
        return _render(request, here, work, forms)


@router.get("/returns/{return_id}/lines/{line_id}/decision")
def decision(request: Request, here: StationPage, return_id: str, line_id: str) -> Response:
    """The Decision of one line for the facts typed so far (the page asks as the operator types)."""
    with here.uow as uow:
        work = station.return_to_process(uow, return_id=return_id)
        line = work.order.line(line_id)
        form = LineForm.read(request.query_params, line, work.products[line.product_id])
        preview = _preview(here, work, line_id, form)
        return templates.TemplateResponse(
            request, "station/_decision.html", {"line": line, "preview": preview, "form": form}
        )


@router.post("/returns/{return_id}/photos")
def upload(here: StationPage, return_id: str, file: Annotated[UploadFile, File()]) -> Response:
    """One photo from the camera or a file, stored on the return; answers its id and thumbnail address."""
    try:
        with photo_bytes(file.file, here.uow.settings.max_photo_bytes) as data:
            kind = photos.check_photo(data, here.uow)
            with here.uow as uow:
                photo = photos.upload_photo(uow, return_id=return_id, data=data, kind=kind)
    except (ValidationFailed, PayloadTooLarge) as error:
        status = 413 if isinstance(error, PayloadTooLarge) else 422
        return JSONResponse({"error": {"code": error.code, "message": error.message}}, status_code=status)
    return JSONResponse({"photo_id": photo.id, "url": f"/station/photos/{photo.id}"}, status_code=201)


@router.get("/photos/{photo_id}")
def photo(here: StationPage, photo_id: str) -> Response:
    with here.uow as uow:
        data, content_type = photos.read_photo(uow, photo_id=photo_id)
    return Response(data, media_type=content_type, headers={"Cache-Control": "private, max-age=86400"})


async def form_data(request: Request) -> AsyncIterator[FormData]:
    """The submitted form; its uploaded files are closed once the response is sent."""
    form = await request.form()
    try:
        yield form
    finally:
        await form.close()


@router.post("/returns/{return_id}/complete")
def complete(
    request: Request, here: StationPage, return_id: str, form: Annotated[FormData, Depends(form_data)]
) -> Response:
    """Ctrl+Enter or Complete: the whole form in one transaction; any problem changes nothing."""
    limit = here.uow.settings.max_photo_bytes + 1
    facts: dict[str, LineFacts] = {}
    with here.uow as uow:
        work = station.return_to_process(uow, return_id=return_id)
        forms = {line.id: LineForm.read(form, line, work.products[line.product_id]) for line in work.order.lines}
        for line in work.order.lines:
            line_facts = forms[line.id].facts(line, work.products[line.product_id])
            if line_facts is not None:
                facts[line.id] = line_facts
        unreadable = len(facts) < len(work.order.lines)
        new_photos = {
            line.id: [
                f.file.read(limit)
                for f in form.getlist(name("photos", line.id))
                if isinstance(f, StarletteUpload) and f.filename
            ]
            for line in work.order.lines
        }
    if form.get("intent") == "check":
        with here.uow:
            return _render(request, here, work_again(here, return_id), forms)
    try:
        sent_version = str(form.get("version") or "")
        version = int(sent_version) if sent_version.isdigit() else 0
        with here.uow as uow:
            if unreadable:
                raise ValidationFailed("some values cannot be read; they are marked below")
            done = station.complete_from_station(
                uow, return_id=return_id, version=version, facts=facts, new_photos=new_photos
            )
            return RedirectResponse(f"/station?completed={done.id}", status_code=303)
    except (PreconditionFailed, Conflict, ValidationFailed, PayloadTooLarge) as error:
        return _refused(request, here, return_id, forms, error)


def work_again(here: Station, return_id: str) -> ReturnToProcess:
    return station.return_to_process(here.uow, return_id=return_id)


def _refused(
    request: Request, here: Station, return_id: str, forms: dict[str, LineForm], error: DomainError
) -> Response:
    """The form again with what the operator typed, and what happened and what to do, in one alert."""
    for detail in error.details:
        line_id = detail.field.split(".", 1)[0]
        if line_id in forms:
            forms[line_id].errors.append(detail.message)
    if isinstance(error, PreconditionFailed):
        advice = "The page now shows the return as it is; check the lines and press Complete again."
    elif isinstance(error, Conflict):
        advice = "Scan the next package on Receive."
    else:
        advice = "Fix what is marked below and press Complete again (photos chosen here must be chosen again)."
    status = 409 if isinstance(error, Conflict | PreconditionFailed) else 422
    with here.uow:
        work = work_again(here, return_id)
        done = work.order.status is ReturnStatus.Completed
        message = f"{error.message[0].upper()}{error.message[1:].rstrip('.')}."
        return _render(request, here, work, forms, status, problem=message, advice=advice, done=done)
