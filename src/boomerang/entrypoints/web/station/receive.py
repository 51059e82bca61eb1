"""Receive (`/station`): one always-focused Scan field; each scan is recorded and its outcome shown big."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from starlette.responses import RedirectResponse, Response

from boomerang.domain.error_codes import CommonErrorCode, ReturnErrorCode
from boomerang.domain.errors import Conflict, DomainError
from boomerang.entrypoints.web.deps import OperatorPage, verify_csrf
from boomerang.entrypoints.web.security import safe_next
from boomerang.entrypoints.web.station.context import StationPage, operator_fcs, remember_fc
from boomerang.entrypoints.web.templating import page
from boomerang.services import receiving, station, unidentified
from boomerang.services.receiving import Receipt

router = APIRouter(prefix="/station", dependencies=[Depends(verify_csrf)])

OUTCOMES = ("matched", "rts_created", "regular_created", "unidentified", "ambiguous", "already_arrived")
MAX_SCAN = 200
Text = Annotated[str, Form(max_length=2000)]


def receive_url(**params: str | None) -> str:
    query = urlencode({k: v for k, v in params.items() if v})
    return f"/station?{query}" if query else "/station"


@router.get("")
def receive_page(
    request: Request,
    here: StationPage,
    outcome: str | None = None,
    return_id: str | None = None,
    package_id: str | None = None,
    scanned: str | None = None,
    completed: str | None = None,
) -> Response:
    uow = here.uow
    context: dict[str, Any] = {"outcome": outcome if outcome in OUTCOMES else None, "scanned": scanned or ""}
    with uow:
        if return_id:
            context["received"] = station.return_to_process(uow, return_id=return_id)
        if package_id:
            context["package"] = unidentified.package(uow, package_id=package_id)
        if context["outcome"] == "ambiguous" and scanned:
            context["candidates"] = receiving.scan_candidates(uow, fulfillment_center_id=here.fc.id, scanned=scanned)
        if completed:
            context["completed"] = station.return_to_process(uow, return_id=completed)
        context["receipts"] = station.shift_receipts(uow, fulfillment_center_id=here.fc.id)
        return here.render(request, "station/receive.html", context)


def _after(receipt: Receipt) -> str:
    return receive_url(
        outcome=receipt.outcome.value,
        return_id=receipt.order.id if receipt.order else None,
        package_id=receipt.package.id if receipt.package else None,
        scanned=receipt.scanned,
    )


def _error(request: Request, here: Any, message: str, status: int) -> Response:
    with here.uow as uow:
        receipts = station.shift_receipts(uow, fulfillment_center_id=here.fc.id)
        context = {"outcome": None, "scanned": "", "error": message, "receipts": receipts}
        return here.render(request, "station/receive.html", context, status_code=status)


@router.post("/scan")
def scan(
    request: Request,
    here: StationPage,
    scanned: Text = "",
    last_return_id: Text = "",
    ambiguous_scan: Text = "",
) -> Response:
    """A scan + Enter. An empty scan opens the return just received; `1` to `9` after an ambiguous scan picks."""
    code = scanned.strip()
    if not code:
        if last_return_id:  # Enter after a scan: open the return just received
            with here.uow as uow:
                opened = station.open_for_processing(uow, return_id=last_return_id)
                return RedirectResponse(f"/station/returns/{opened.id}", status_code=303)
        return _error(request, here, "Scan a package label (or type its reference or tracking number).", 422)
    if len(code) > MAX_SCAN:
        return _error(request, here, f"A scan is at most {MAX_SCAN} characters; scan the label again.", 422)
    if ambiguous_scan and code.isdigit() and len(code) == 1:
        return _choose(request, here, ambiguous_scan, int(code))
    try:
        with here.uow as uow:
            receipt = receiving.receive(uow, fulfillment_center_id=here.fc.id, scanned=code)
            return RedirectResponse(_after(receipt), status_code=303)
    except Conflict as error:
        if error.code != ReturnErrorCode.ALREADY_ARRIVED:
            raise
        with here.uow as uow:
            order = receiving.already_arrived(uow, fulfillment_center_id=here.fc.id, scanned=code)
            found = order.id if order else None
        return RedirectResponse(receive_url(outcome="already_arrived", return_id=found, scanned=code), 303)


def _choose(request: Request, here: Any, scanned: str, number: int) -> Response:
    with here.uow as uow:
        candidates = receiving.scan_candidates(uow, fulfillment_center_id=here.fc.id, scanned=scanned)
        ids = [c.id for c in candidates]
    if not 1 <= number <= len(ids):
        return _error(request, here, f"There is no candidate {number}; scan the other label instead.", 422)
    return choose(request, here, scanned=scanned, candidate_id=ids[number - 1])


@router.post("/choose")
def choose(request: Request, here: StationPage, scanned: Text = "", candidate_id: Text = "") -> Response:
    """After an ambiguous scan: receive the candidate the operator picked."""
    try:
        with here.uow as uow:
            receipt = receiving.receive_candidate(
                uow, fulfillment_center_id=here.fc.id, scanned=scanned, candidate_id=candidate_id
            )
            return RedirectResponse(_after(receipt), status_code=303)
    except Conflict as error:
        if error.code != ReturnErrorCode.ALREADY_ARRIVED:
            raise
        return RedirectResponse(receive_url(outcome="already_arrived", return_id=candidate_id, scanned=scanned), 303)


@router.post("/unidentified/{package_id}/note")
def note(request: Request, here: StationPage, package_id: str, note: Text = "", next: Text = "") -> Response:
    """Carrier and sender notes for a package that matched nothing."""
    try:
        with here.uow as uow:
            unidentified.annotate(uow, package_id=package_id, note=note)
    except DomainError as error:
        if error.code != CommonErrorCode.VALIDATION_ERROR:
            raise
        return _error(request, here, error.message, 422)
    return RedirectResponse(safe_next(next, "/station/unidentified"), status_code=303)


@router.get("/fc")
def fc_picker(request: Request, uow: OperatorPage, next: str | None = None) -> Response:
    return page(request, "station/fc.html", {"fcs": operator_fcs(uow), "next": safe_next(next, "/station")})


@router.post("/fc")
def pick_fc(request: Request, uow: OperatorPage, fulfillment_center_id: Text = "", next: Text = "") -> Response:
    """Work at one of the operator's FCs for the rest of the session."""
    if fulfillment_center_id not in {fc.id for fc in operator_fcs(uow)}:
        return page(
            request,
            "station/fc.html",
            {"fcs": operator_fcs(uow), "next": safe_next(next, "/station"), "error": "Choose one of your FCs."},
            status_code=422,
        )
    response = RedirectResponse(safe_next(next, "/station"), status_code=303)
    remember_fc(request, response, fulfillment_center_id)
    return response
