"""Overview: the merchant's returns at a glance."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from boomerang.entrypoints.web.deps import MerchantPage, verify_csrf
from boomerang.entrypoints.web.templating import page

router = APIRouter(dependencies=[Depends(verify_csrf)])


@router.get("/")
def overview(request: Request, uow: MerchantPage) -> Response:
    return page(request, "overview.html", {})
