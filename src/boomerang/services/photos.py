"""Photos of returned items and lot labels: uploaded by operators, seen by the merchant and the FC."""

from __future__ import annotations

from typing import Any

from boomerang.adapters.photo_storage import TooManyPixels, sniff_image, storage_for
from boomerang.config import Settings
from boomerang.domain.errors import PayloadTooLarge, ValidationFailed
from boomerang.domain.ids import new_id
from boomerang.services.unit_of_work import UnitOfWork
from boomerang.services.views import iso


def photo_url(photo_id: str) -> str:
    return f"/api/v1/photos/{photo_id}"


def check_photo(data: bytes, settings: Settings) -> tuple[str, str]:
    """(content type, extension) of an acceptable photo: size, then pixel count, then a full decode.

    Runs before the use case's transaction: decoding takes time and memory, and holds no lock.
    """
    limit = settings.max_photo_bytes
    if len(data) > limit:
        raise PayloadTooLarge(f"a photo is at most {limit // (1024 * 1024)} MB", code="payload_too_large")
    try:
        kind = sniff_image(data, settings.max_photo_pixels)
    except TooManyPixels as error:
        raise PayloadTooLarge(str(error), code="image_too_large") from error
    if kind is None:
        raise ValidationFailed("the file is not a JPEG, PNG or WebP image", code="unsupported_media_type")
    return kind


def upload_photo(
    uow: UnitOfWork, *, return_id: str, data: bytes, kind: tuple[str, str] | None = None
) -> dict[str, Any]:
    """POST /returns/{id}/photos: store a photo. Callers should run `check_photo` before the unit of
    work and pass its `kind`; without it the photo is checked here, inside the transaction."""
    kind = kind or check_photo(data, uow.settings)
    order = uow.returns.get(return_id)
    content_type, extension = kind
    photo_id = new_id("pho")
    storage = storage_for(uow.settings.data_dir)
    key = storage.key_for(photo_id, extension)
    storage.save(key, data)
    uow.warehouse.add_photo(
        id=photo_id,
        return_id=order.id,
        merchant_id=order.merchant_id,
        fulfillment_center_id=order.fulfillment_center_id,
        content_type=content_type,
        size_bytes=len(data),
        storage_key=key,
        uploaded_by=uow.principal.actor,
        created_at=uow.now,
    )
    uow.commit()
    return {
        "photo_id": photo_id,
        "url": photo_url(photo_id),
        "return_id": order.id,
        "content_type": content_type,
        "size_bytes": len(data),
        "created_at": iso(uow.now),
    }


def read_photo(uow: UnitOfWork, *, photo_id: str) -> tuple[bytes, str]:
    """The image bytes and content type, for the owning merchant and the FC's operators only."""
    row = uow.warehouse.get_photo(photo_id)
    return storage_for(uow.settings.data_dir).read(row.storage_key), row.content_type
