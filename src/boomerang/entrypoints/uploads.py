"""An uploaded photo read into memory, a few at a time per process.

The body itself waits on disk (the body cap and the form parser spool it); only while a photo is checked
and stored are its bytes in memory, so at most PHOTOS_AT_ONCE * max_photo_bytes are held by uploads,
however many arrive together. Used by the API's and the station's photo routes alike.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

PHOTOS_AT_ONCE = 2  # as many as may be decoded at once (photo_storage); each costs its bytes several times over
_reading = threading.BoundedSemaphore(PHOTOS_AT_ONCE)


@contextmanager
def photo_bytes(file: IO[bytes], max_bytes: int) -> Iterator[bytes]:
    """The upload's bytes (one more than `max_bytes` at most, so an oversized photo is still recognised)."""
    with _reading:
        yield file.read(max_bytes + 1)
