"""Processing a return (operator): start, inspect each line, complete."""

from __future__ import annotations

from fastapi import APIRouter, Response

from boomerang.domain.returns import Inspection
from boomerang.entrypoints.api.etags import ExpectedVersions
from boomerang.entrypoints.api.responses import versioned
from boomerang.entrypoints.http.deps import OperatorUoW
from boomerang.schemas.returns import ReturnLineRead, ReturnRead
from boomerang.schemas.warehouse import InspectionIn
from boomerang.services import processing

router = APIRouter(tags=["processing"])


@router.post("/returns/{return_id}/start-processing", response_model=ReturnRead)
def start_processing(return_id: str, uow: OperatorUoW, expected: ExpectedVersions = None) -> Response:
    with uow:
        view = processing.start_processing(uow, return_id=return_id, expected_versions=expected)
        return versioned(ReturnRead.from_domain(view))


@router.put("/returns/{return_id}/inventory/{line_id}/inspection", response_model=ReturnLineRead)
def record_inspection(return_id: str, line_id: str, body: InspectionIn, uow: OperatorUoW) -> ReturnLineRead:
    """Only while Processing; answers the line with a preview of its actions_taken."""
    inspection = Inspection(
        quantity_received=body.quantity_received,
        step_results=tuple(body.step_results),
        instructions_unclear=body.instructions_unclear,
        lot_number=body.lot_number,
        expiration_date=body.expiration_date,
        photo_ids=tuple(body.photo_ids),
        condition_note=body.condition_note,
    )
    with uow:
        line = processing.record_inspection(uow, return_id=return_id, line_id=line_id, inspection=inspection)
        return ReturnLineRead.from_domain(line)


@router.post("/returns/{return_id}/complete", response_model=ReturnRead)
def complete_return(return_id: str, uow: OperatorUoW, expected: ExpectedVersions = None) -> Response:
    """Every line needs an inspection (else 409 inspection_missing); writes actions_taken and the ledger."""
    with uow:
        view = processing.complete_return(uow, return_id=return_id, expected_versions=expected)
        return versioned(ReturnRead.from_domain(view))
