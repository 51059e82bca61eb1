"""Photos of returned items and lot labels: uploaded by operators, seen by the merchant and the FC."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import islice

from boomerang.domain.error_codes import CommonErrorCode, WarehouseErrorCode
from boomerang.domain.errors import FieldError, PayloadTooLarge, ValidationFailed
from boomerang.domain.ids import new_id
from boomerang.services.ports.providers import StoredFile, TooManyPixels
from boomerang.services.unit_of_work import UnitOfWork

MAX_PHOTOS_PER_PACKAGE = 20
PHOTO_ID_PREFIX = "pho"
# A file younger than this may belong to an upload whose transaction is committing right now.
ORPHAN_MIN_AGE = timedelta(days=1)
SWEEP_CHUNK = 500  # file names checked against the database per query


@dataclass(frozen=True)
class StoredPhoto:
    """A photo as stored: of a return's items, or of an unidentified package's contents."""

    id: str
    content_type: str
    size_bytes: int
    created_at: datetime
    return_id: str | None = None
    unidentified_package_id: str | None = None


def check_photo(data: bytes, uow: UnitOfWork) -> tuple[str, str]:
    """(content type, extension) of an acceptable photo: size, then pixel count, then a full decode.

    Runs before the use case's transaction: decoding takes time and memory, and holds no lock.
    """
    settings = uow.settings
    limit = settings.max_photo_bytes
    if len(data) > limit:
        raise PayloadTooLarge(f"a photo is at most {limit // (1024 * 1024)} MB", code=CommonErrorCode.PAYLOAD_TOO_LARGE)
    try:
        kind = uow.providers.sniff_image(data, settings.max_photo_pixels)
    except TooManyPixels as error:
        raise PayloadTooLarge(str(error), code=WarehouseErrorCode.IMAGE_TOO_LARGE) from error
    if kind is None:
        raise ValidationFailed("the file is not a JPEG, PNG or WebP image", code=CommonErrorCode.UNSUPPORTED_MEDIA_TYPE)
    return kind


def store_photo(
    uow: UnitOfWork,
    data: bytes,
    kind: tuple[str, str],
    *,
    fulfillment_center_id: str,
    merchant_id: str | None,
    return_id: str | None = None,
    unidentified_package_id: str | None = None,
) -> StoredPhoto:
    """Store one image that `check_photo` accepted as `kind`; the caller commits."""
    content_type, extension = kind
    photo = StoredPhoto(new_id(PHOTO_ID_PREFIX), content_type, len(data), uow.now, return_id, unidentified_package_id)
    storage = uow.providers.photo_storage
    key = storage.key_for(photo.id, extension)
    storage.save(key, data)
    uow.photos.add_photo(
        id=photo.id,
        return_id=return_id,
        unidentified_package_id=unidentified_package_id,
        merchant_id=merchant_id,
        fulfillment_center_id=fulfillment_center_id,
        content_type=content_type,
        size_bytes=len(data),
        storage_key=key,
        uploaded_by=uow.principal.actor,
        created_at=uow.now,
    )
    return photo


def upload_photo(uow: UnitOfWork, *, return_id: str, data: bytes, kind: tuple[str, str]) -> StoredPhoto:
    """Store a photo of a return: a JPEG, PNG or WebP (checked by decoding it) of at most the size limit."""
    order = uow.returns.get(return_id)
    photo = store_photo(
        uow,
        data,
        kind,
        fulfillment_center_id=order.fulfillment_center_id,
        merchant_id=order.merchant_id,
        return_id=order.id,
    )
    uow.commit()
    return photo


def upload_unidentified_photo(uow: UnitOfWork, *, package_id: str, data: bytes, kind: tuple[str, str]) -> StoredPhoto:
    """Store a photo of an unidentified package: what is inside a package nobody claimed yet."""
    package = uow.unidentified_packages.get_unidentified(package_id, for_update=True)
    if len(package.photo_ids) >= MAX_PHOTOS_PER_PACKAGE:
        raise ValidationFailed(
            f"a package has at most {MAX_PHOTOS_PER_PACKAGE} photos",
            code=WarehouseErrorCode.TOO_MANY_PHOTOS,
            details=[FieldError("file", f"at most {MAX_PHOTOS_PER_PACKAGE} photos per package")],
        )
    photo = store_photo(
        uow,
        data,
        kind,
        fulfillment_center_id=package.fulfillment_center_id,
        merchant_id=package.merchant_id,
        unidentified_package_id=package.id,
    )
    uow.unidentified_packages.set_unidentified_photos(package.id, [*package.photo_ids, photo.id])
    uow.commit()
    return photo


def read_photo(uow: UnitOfWork, *, photo_id: str) -> tuple[bytes, str]:
    """The image bytes and content type, for the owning merchant and the FC's operators only."""
    row = uow.photos.get_photo(photo_id)
    return uow.providers.photo_storage.read(row.storage_key), row.content_type


@dataclass(frozen=True)
class OrphanSweep:
    """What one sweep of photo storage found: files old enough to check, and those no row names."""

    checked: int
    removed: int  # on a dry run: would have been removed
    removed_bytes: int


def sweep_orphan_photos(new_uow: Callable[[], UnitOfWork], *, dry_run: bool = False) -> OrphanSweep:
    """Remove photo files that no photo row names and that were last written over a day ago: uploads whose
    transaction rolled back, or whose process was killed between writing the file and committing."""
    with new_uow() as uow:
        storage, cutoff = uow.providers.photo_storage, uow.now - ORPHAN_MIN_AGE
    checked = removed = removed_bytes = 0
    named_like_photos = (f for f in storage.files_written_before(cutoff) if f.name.startswith(f"{PHOTO_ID_PREFIX}_"))
    for chunk in _chunks(named_like_photos, SWEEP_CHUNK):
        with new_uow() as uow:
            known = uow.photos.storage_keys_of({_photo_id(f.name) for f in chunk})
        orphans = [f for f in chunk if f.name not in known]  # a left-over `.part` file is never a key
        if not dry_run:
            for orphan in orphans:
                storage.remove(orphan.name)
        checked += len(chunk)
        removed += len(orphans)
        removed_bytes += sum(f.size_bytes for f in orphans)
    return OrphanSweep(checked, removed, removed_bytes)


def _photo_id(file_name: str) -> str:
    return file_name.split(".", 1)[0]  # `pho_<ulid>.jpg` and `pho_<ulid>.jpg.part` alike


def _chunks(files: Iterable[StoredFile], size: int) -> Iterator[list[StoredFile]]:
    iterator = iter(files)
    while chunk := list(islice(iterator, size)):
        yield chunk
