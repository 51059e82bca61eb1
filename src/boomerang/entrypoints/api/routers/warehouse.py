"""The dock (operator): receipts, unidentified packages and photos."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, UploadFile
from fastapi.responses import Response

from boomerang.entrypoints.api.deps import MerchantOrOperatorUoW, OperatorUoW
from boomerang.entrypoints.api.schemas.common import Limit, Page
from boomerang.entrypoints.api.schemas.returns import ReturnRead
from boomerang.entrypoints.api.schemas.warehouse import (
    PhotoCreated,
    ReceiptCreate,
    ReceiptRead,
    UnidentifiedPhotoCreated,
    UnidentifiedRead,
    UnidentifiedResolve,
    UnidentifiedResolved,
)
from boomerang.services import photos, receiving

router = APIRouter(tags=["warehouse"])


def _with_return_read(view: dict[str, Any]) -> dict[str, Any]:
    found = view["return"]
    return {**view, "return": None if found is None else ReturnRead.from_domain(found)}


@router.post("/warehouse/receipts", status_code=201, response_model=ReceiptRead)
def receive_package(body: ReceiptCreate, uow: OperatorUoW) -> dict[str, Any]:
    """A dock scan: matched, rts_created, regular_created, unidentified or ambiguous."""
    with uow:
        receipt = receiving.receive_package(
            uow, fulfillment_center_id=body.fulfillment_center_id, scanned=body.scanned, note=body.note
        )
        return _with_return_read(receipt)


@router.get("/warehouse/unidentified", response_model=Page[UnidentifiedRead])
def list_unidentified(
    uow: OperatorUoW,
    fulfillment_center_id: str | None = None,
    resolved: bool | None = None,
    cursor: str | None = None,
    limit: Limit = 50,
) -> dict[str, Any]:
    """Newest first, at the operator's FCs."""
    with uow:
        return receiving.list_unidentified(
            uow, fulfillment_center_id=fulfillment_center_id, resolved=resolved, cursor=cursor, limit=limit
        )


@router.post("/warehouse/unidentified/{package_id}/resolve", response_model=UnidentifiedResolved)
def resolve_unidentified(package_id: str, body: UnidentifiedResolve, uow: OperatorUoW) -> dict[str, Any]:
    with uow:
        return _with_return_read(receiving.resolve_unidentified(uow, package_id=package_id, return_id=body.return_id))


@router.post("/returns/{return_id}/photos", status_code=201, response_model=PhotoCreated)
def upload_photo(return_id: str, uow: OperatorUoW, file: Annotated[UploadFile, File()]) -> dict[str, Any]:
    """JPEG, PNG or WebP, checked by decoding the content; at most 10 MB and 40 megapixels."""
    data = file.file.read(uow.settings.max_photo_bytes + 1)
    kind = photos.check_photo(data, uow.settings)
    with uow:
        return photos.photo_view(photos.upload_photo(uow, return_id=return_id, data=data, kind=kind))


@router.post("/warehouse/unidentified/{package_id}/photos", status_code=201, response_model=UnidentifiedPhotoCreated)
def upload_unidentified_photo(package_id: str, uow: OperatorUoW, file: Annotated[UploadFile, File()]) -> dict[str, Any]:
    """A photo of an unidentified package's contents (JPEG, PNG or WebP, at most 10 MB and 40 megapixels)."""
    data = file.file.read(uow.settings.max_photo_bytes + 1)
    kind = photos.check_photo(data, uow.settings)
    with uow:
        return photos.photo_view(photos.upload_unidentified_photo(uow, package_id=package_id, data=data, kind=kind))


@router.get(
    "/photos/{photo_id}",
    response_class=Response,
    responses={200: {"content": {"image/jpeg": {}, "image/png": {}, "image/webp": {}}}},
)
def read_photo(photo_id: str, uow: MerchantOrOperatorUoW) -> Response:
    with uow:
        data, content_type = photos.read_photo(uow, photo_id=photo_id)
    return Response(data, media_type=content_type, headers={"Cache-Control": "private, max-age=86400"})
