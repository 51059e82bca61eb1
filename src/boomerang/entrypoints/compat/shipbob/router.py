"""The ShipBob 2026-01 Returns API and GET /channel, on top of our own return services."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request

from boomerang.entrypoints.compat.shipbob import params
from boomerang.entrypoints.compat.shipbob.errors import CANCEL, CHANNELS, CREATE, EDIT, GET, LIST
from boomerang.entrypoints.compat.shipbob.mapping import public_return, public_return_v1
from boomerang.entrypoints.compat.shipbob.models import (
    ChannelsV2ViewModel,
    PublicReturnDto,
    PublicReturnDtoPagedUrlResultDto,
    PublicReturnV1Dto,
)
from boomerang.entrypoints.http.deps import MerchantUoW
from boomerang.services import compat_shipbob

router = APIRouter(prefix="/2026-01")
SCOPES = ["channels_read", "returns_read", "returns_write"]


async def _raw_body(request: Request) -> bytes:
    return await request.body()


RawBody = Annotated[bytes, Depends(_raw_body)]


def origin(request: Request) -> str:
    """Where absolute links point: BOOMERANG_PUBLIC_BASE_URL, else the host the client called."""
    configured = request.app.state.settings.public_base_url
    return str(configured).rstrip("/") if configured else f"{request.url.scheme}://{request.url.netloc}"


def photo_base(request: Request) -> str:
    return f"{origin(request)}/api/v1/photos"


def page_url(request: Request, page: int) -> str:
    kept = [(k, v) for k, v in request.query_params.multi_items() if k.lower() != "cursor"]
    return f"{origin(request)}{request.url.path}?{urlencode([*kept, ('Cursor', str(page))])}"


@router.get("/channel", operation_id=CHANNELS, response_model=ChannelsV2ViewModel)
def get_channels(request: Request, uow: MerchantUoW) -> dict[str, Any]:
    query = params.query(request)
    if "recordsperpage" in query:
        params.int32("RecordsPerPage", query["recordsperpage"], minimum=1)
    with uow:
        channel = compat_shipbob.channel(uow)
    item = {"id": channel.number, "name": channel.name, "application_name": "Boomerang", "scopes": SCOPES}
    return {"items": [item], "next": None, "prev": None}


@router.post("/return", status_code=201, operation_id=CREATE, response_model=PublicReturnV1Dto)
def create_return(request: Request, uow: MerchantUoW, body: RawBody) -> dict[str, Any]:
    channel_number = params.channel_header(request)
    numbered = params.return_request(body)
    with uow:
        compat_shipbob.require_channel(uow, channel_number)
        presented = compat_shipbob.create(uow, numbered)
        return public_return_v1(presented.views[0], presented, photo_base(request))


@router.get("/return", operation_id=LIST, response_model=PublicReturnDtoPagedUrlResultDto)
def list_returns(request: Request, uow: MerchantUoW) -> dict[str, Any]:
    query = params.query(request)
    filters, numbered = params.list_filters(query)
    page, limit = params.paging(query)
    with uow:
        presented = compat_shipbob.list_returns(uow, filters, numbered, (page - 1) * limit, limit)
        items = [public_return(view, presented, photo_base(request)) for view in presented.views]
    last = max(1, -(-presented.total // limit))
    return {
        "items": items,
        "first": page_url(request, 1),
        "last": page_url(request, last),
        "next": page_url(request, page + 1) if page < last else None,
        "prev": page_url(request, min(page - 1, last)) if page > 1 else None,
    }


@router.get("/return/{id}", operation_id=GET, response_model=PublicReturnDto)
def get_return(id: str, request: Request, uow: MerchantUoW) -> dict[str, Any]:
    number = params.path_number(id)
    with uow:
        presented = compat_shipbob.get(uow, number)
        return public_return(presented.views[0], presented, photo_base(request))


@router.put("/return/{id}", operation_id=EDIT, response_model=PublicReturnV1Dto)
def edit_return(id: str, request: Request, uow: MerchantUoW, body: RawBody) -> dict[str, Any]:
    number = params.path_number(id)
    numbered = params.return_request(body)
    with uow:
        presented = compat_shipbob.edit(uow, number, numbered)
        return public_return_v1(presented.views[0], presented, photo_base(request))


@router.post("/return/{id}:cancel", operation_id=CANCEL)
def cancel_return(id: str, uow: MerchantUoW) -> dict[str, Any]:
    number = params.path_number(id)
    with uow:
        compat_shipbob.cancel(uow, number)
    return {}
