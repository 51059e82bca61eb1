"""The dock (operator): receipts, unidentified packages and photos."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, UploadFile
from fastapi.responses import Response

from boomerang.domain.returns import ReturnOrder
from boomerang.entrypoints.http.deps import MerchantOrOperatorUoW, OperatorUoW
from boomerang.entrypoints.uploads import photo_bytes
from boomerang.schemas.common import Limit, Page
from boomerang.schemas.returns import ReturnRead
from boomerang.schemas.warehouse import (
    PhotoCreated,
    ReceiptCreate,
    ReceiptRead,
    UnidentifiedPhotoCreated,
    UnidentifiedRead,
    UnidentifiedResolve,
    UnidentifiedResolved,
)
from boomerang.services import photos, receiving
from boomerang.services.read_models.returns import return_view
from boomerang.services.unit_of_work import UnitOfWork

router = APIRouter(tags=["warehouse"])


def _return_read(uow: UnitOfWork, order: ReturnOrder) -> ReturnRead:
    """The return as the returns resource renders it: inside the unit of work (right after the commit it is the
    view just rendered into the outbox; otherwise it reads the FC, fees and products)."""
    return ReturnRead.from_domain(return_view(uow, order))


@router.post("/warehouse/receipts", status_code=201, response_model=ReceiptRead)
def receive_package(body: ReceiptCreate, uow: OperatorUoW) -> ReceiptRead:
    """A dock scan: matched, rts_created, regular_created, unidentified or ambiguous."""
    with uow:
        receipt = receiving.receive(
            uow, fulfillment_center_id=body.fulfillment_center_id, scanned=body.scanned, note=body.note
        )
        return ReceiptRead.from_domain(receipt, _return_read(uow, receipt.order) if receipt.order else None)


@router.get("/warehouse/unidentified", response_model=Page[UnidentifiedRead])
def list_unidentified(
    uow: OperatorUoW,
    fulfillment_center_id: str | None = None,
    resolved: bool | None = None,
    cursor: str | None = None,
    limit: Limit = 50,
) -> Page[UnidentifiedRead]:
    """Newest first, at the operator's FCs."""
    with uow:
        page = receiving.list_unidentified(
            uow, fulfillment_center_id=fulfillment_center_id, resolved=resolved, cursor=cursor, limit=limit
        )
    return Page[UnidentifiedRead](
        items=[UnidentifiedRead.from_domain(p) for p in page.items], next_cursor=page.next_cursor
    )


@router.post("/warehouse/unidentified/{package_id}/resolve", response_model=UnidentifiedResolved)
def resolve_unidentified(package_id: str, body: UnidentifiedResolve, uow: OperatorUoW) -> UnidentifiedResolved:
    """Link the package to a return at the same FC: the return arrives as if scanned."""
    with uow:
        resolved = receiving.resolve(uow, package_id=package_id, return_id=body.return_id)
        return UnidentifiedResolved.from_domain(resolved.package, _return_read(uow, resolved.order))


@router.post("/returns/{return_id}/photos", status_code=201, response_model=PhotoCreated)
def upload_photo(return_id: str, uow: OperatorUoW, file: Annotated[UploadFile, File()]) -> PhotoCreated:
    """JPEG, PNG or WebP, checked by decoding the content; at most 10 MB and 40 megapixels."""
    with photo_bytes(file.file, uow.settings.max_photo_bytes) as data:
        kind = photos.check_photo(data, uow)
        with uow:
            photo = photos.upload_photo(uow, return_id=return_id, data=data, kind=kind)
    return PhotoCreated.from_domain(photo)


@router.post("/warehouse/unidentified/{package_id}/photos", status_code=201, response_model=UnidentifiedPhotoCreated)
def upload_unidentified_photo(
    package_id: str, uow: OperatorUoW, file: Annotated[UploadFile, File()]
) -> UnidentifiedPhotoCreated:
    """A photo of an unidentified package's contents (JPEG, PNG or WebP, at most 10 MB and 40 megapixels)."""
    with photo_bytes(file.file, uow.settings.max_photo_bytes) as data:
        kind = photos.check_photo(data, uow)
        with uow:
            photo = photos.upload_unidentified_photo(uow, package_id=package_id, data=data, kind=kind)
    return UnidentifiedPhotoCreated.from_domain(photo)


@router.get(
    "/photos/{photo_id}",
    response_class=Response,
    responses={200: {"content": {"image/jpeg": {}, "image/png": {}, "image/webp": {}}}},
)
def read_photo(photo_id: str, uow: MerchantOrOperatorUoW) -> Response:
    with uow:
        data, content_type = photos.read_photo(uow, photo_id=photo_id)
    return Response(data, media_type=content_type, headers={"Cache-Control": "private, max-age=86400"})
