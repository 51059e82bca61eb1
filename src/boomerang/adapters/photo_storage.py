"""Photos on disk under the data directory, and what an uploaded file really is (decoded, not named)."""

from __future__ import annotations

import io
import os
import threading
import warnings
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from boomerang.services.ports.providers import StoredFile, TooManyPixels

# Pillow format name -> (content type, file extension)
ACCEPTED_FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}


# Decoding holds width x height x 4 bytes; at most this many decodes run at once per process.
_decoding = threading.BoundedSemaphore(2)


def sniff_image(data: bytes, max_pixels: int) -> tuple[str, str] | None:
    """(content type, extension) if `data` decodes as a JPEG, PNG or WebP image, else None.

    The pixel count is read from the header and checked before anything is decoded (TooManyPixels).
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=list(ACCEPTED_FORMATS)) as image:
                kind = image.format
                width, height = image.size
                if width * height > max_pixels:
                    raise TooManyPixels(width, height, max_pixels)
                image.verify()
            with _decoding, Image.open(io.BytesIO(data), formats=list(ACCEPTED_FORMATS)) as image:
                image.load()  # verify() misses truncated pixel data
    except TooManyPixels:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError, Warning):
        return None
    return ACCEPTED_FORMATS.get(kind or "")


class PhotoStorage:
    """Files named by photo id under `<root>`; written atomically (temp file, then rename)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def key_for(self, photo_id: str, extension: str) -> str:
        return f"{photo_id}.{extension}"

    def save(self, key: str, data: bytes) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        target = self.root / key
        temp = target.with_suffix(target.suffix + ".part")
        temp.write_bytes(data)
        os.replace(temp, target)

    def read(self, key: str) -> bytes:
        return (self.root / Path(key).name).read_bytes()

    def files_written_before(self, cutoff: datetime) -> Iterator[StoredFile]:
        """Regular files (stored photos and `.part` files a killed write left) last written before `cutoff`,
        yielded as the directory is read: a catalog's 100,000 names are never all held at once."""
        try:
            listing = os.scandir(self.root)
        except FileNotFoundError:
            return
        with listing:
            for entry in listing:
                if not entry.is_file(follow_symlinks=False):
                    continue
                stat = entry.stat(follow_symlinks=False)
                modified_at = datetime.fromtimestamp(stat.st_mtime, UTC)
                if modified_at < cutoff:
                    yield StoredFile(entry.name, modified_at, stat.st_size)

    def remove(self, name: str) -> None:
        (self.root / Path(name).name).unlink(missing_ok=True)


def storage_for(data_dir: Path) -> PhotoStorage:
    return PhotoStorage(data_dir / "photos")
