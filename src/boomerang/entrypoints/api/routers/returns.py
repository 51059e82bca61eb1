"""Return orders (merchant creates and edits; merchants and operators read)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response

from boomerang.domain.returns import ReturnStatus, ReturnType, TakenAction
from boomerang.entrypoints.api.etags import ExpectedVersions
from boomerang.entrypoints.api.responses import json_response, versioned
from boomerang.entrypoints.http.deps import MerchantOrOperatorListUoW, MerchantOrOperatorReadUoW, MerchantUoW
from boomerang.schemas.common import Limit, Page
from boomerang.schemas.returns import (
    ReturnCreate,
    ReturnLineIn,
    ReturnRead,
    ReturnUpdate,
    StatusChangeRead,
)
from boomerang.services import compat_numbers, returns
from boomerang.services.queries import ReturnFilters
from boomerang.services.returns import LineRequest

router = APIRouter(tags=["returns"])


def _lines(lines: list[ReturnLineIn]) -> list[LineRequest]:
    return [LineRequest(**line.model_dump()) for line in lines]


@router.post("/returns", status_code=201, response_model=ReturnRead)
def create_return(body: ReturnCreate, uow: MerchantUoW) -> Response:
    """A return awaiting arrival; every line says its `expected_action`, the return its `warnings` (never blocking).

    422 `unknown_shipment` when `original_shipment_id` is not one of your shipments; 409 `duplicate_reference_id`,
    409 `duplicate_tracking_number` when another live (non-cancelled) return of yours has this tracking number.
    """
    details = body.model_dump(exclude={"inventory", "reference_id", "fulfillment_center_id"})
    with uow:
        view = returns.create_return_and_commit(
            uow,
            reference_id=body.reference_id,
            fulfillment_center_id=body.fulfillment_center_id,
            lines=_lines(body.inventory),
            **details,
        )
        return versioned(ReturnRead.from_domain(view), status_code=201)


@router.get("/returns", response_model=Page[ReturnRead])
def list_returns(
    uow: MerchantOrOperatorListUoW,
    status: Annotated[list[ReturnStatus] | None, Query()] = None,
    return_type: ReturnType | None = None,
    fulfillment_center_id: str | None = None,
    reference_id: str | None = None,
    tracking_number: str | None = None,
    original_shipment_id: str | None = None,
    store_order_id: str | None = None,
    sku: str | None = None,
    action: TakenAction | None = None,
    start_date: date | None = None,
    end_date: date | None = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
    cursor: str | None = None,
    limit: Limit = 50,
) -> Response:
    """Newest first; every filter combines with AND."""
    filters = ReturnFilters(
        status or [],
        return_type,
        fulfillment_center_id,
        reference_id,
        tracking_number,
        original_shipment_id,
        store_order_id,
        sku,
        action,
        start_date,
        end_date,
        q,
    )
    with uow:
        page = returns.list_returns(uow, filters=filters, cursor=cursor, limit=limit)
        items = [ReturnRead.from_domain(v) for v in page.items]
    return json_response(Page[ReturnRead](items=items, next_cursor=page.next_cursor))


@router.get("/returns/{return_id}", response_model=ReturnRead)
def get_return(return_id: str, uow: MerchantOrOperatorReadUoW) -> Response:
    """`return_id` may also be the return's number from the ShipBob-compatible API."""
    with uow:
        view = returns.get_return(uow, return_id=compat_numbers.return_id_for(uow, return_id))
        return versioned(ReturnRead.from_domain(view))


@router.patch("/returns/{return_id}", response_model=ReturnRead)
def edit_return(return_id: str, body: ReturnUpdate, uow: MerchantUoW, expected: ExpectedVersions = None) -> Response:
    """Only while AwaitingArrival (409 `return_not_editable`); the same rules as create, including
    409 `duplicate_tracking_number` and 422 `unknown_shipment`."""
    changes = body.model_dump(exclude_unset=True, exclude={"inventory", "fulfillment_center_id"})
    lines = _lines(body.inventory) if body.inventory is not None else None
    with uow:
        view = returns.edit_return(uow, return_id=return_id, changes=changes, lines=lines, expected_versions=expected)
        return versioned(ReturnRead.from_domain(view))


@router.post("/returns/{return_id}/cancel", response_model=ReturnRead)
def cancel_return(return_id: str, uow: MerchantUoW, expected: ExpectedVersions = None) -> Response:
    with uow:
        view = returns.cancel_return(uow, return_id=return_id, expected_versions=expected)
        return versioned(ReturnRead.from_domain(view))


@router.get("/returns/{return_id}/status-history", response_model=Page[StatusChangeRead])
def status_history(return_id: str, uow: MerchantOrOperatorReadUoW) -> Page[StatusChangeRead]:
    with uow:
        changes = returns.status_history(uow, return_id=return_id)
        return Page[StatusChangeRead](items=[StatusChangeRead.from_domain(c) for c in changes], next_cursor=None)
