"""Uploaded CSVs that wait on disk for their Confirm, so that Confirm sends a token, never the file again.

A preview keeps the file under `data_dir/pending-uploads/<owner>/<token digest>.csv`, where the owner is a
digest of the merchant and the web session: the token alone finds nothing for another merchant or another
session, and the file names reveal neither tokens nor sessions. A file is kept for an hour (its modified
time is set from the app's clock when it is kept), one per session (a new preview replaces the last),
claimed by the Confirm that applies it, and removed by that Confirm or, once expired, by the next upload
(`sweep`).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from boomerang.domain.errors import DomainError

KEPT_FOR = timedelta(hours=1)
FOLDER = "pending-uploads"


class UploadGone(Exception):
    """No kept file for this token and owner: unknown, another's, expired or already applied."""


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class PendingUploads:
    folder: Path
    kept_for: timedelta = KEPT_FOR

    @classmethod
    def under(cls, data_dir: Path) -> PendingUploads:
        return cls(data_dir / FOLDER)

    def keep(self, data: bytes, *, owner: str, now: datetime) -> str:
        """Keep an uploaded file for `owner` (its merchant and web session); the token that finds it again."""
        box = self.folder / _digest(owner)
        token = secrets.token_urlsafe(32)
        path = box / f"{_digest(token)}.csv"
        partial = path.with_suffix(".part")
        for attempt in (1, 2):
            box.mkdir(parents=True, exist_ok=True)
            for earlier in box.glob("*.csv"):
                earlier.unlink(missing_ok=True)
            try:
                partial.write_bytes(data)
                break
            except FileNotFoundError:  # another request's sweep removed the empty folder just now
                if attempt == 2:
                    raise
        os.utime(partial, (now.timestamp(), now.timestamp()))
        partial.replace(path)
        return token

    @contextlib.contextmanager
    def claimed(self, token: str, *, owner: str, now: datetime) -> Iterator[Path]:
        """The file kept under `token` for `owner`, taken so a second Confirm finds nothing (UploadGone). It is
        removed when the block ends, unless the block fails with anything but a domain answer (the database
        was unreachable...): then it is put back, so Confirm can be tried again."""
        path = self.folder / _digest(owner) / f"{_digest(token)}.csv"
        taken = path.with_suffix(f".{secrets.token_hex(8)}.taken")
        try:
            kept_at = path.stat().st_mtime
            path.rename(taken)
        except FileNotFoundError:
            raise UploadGone() from None
        if now.timestamp() - kept_at > self.kept_for.total_seconds():
            taken.unlink(missing_ok=True)
            raise UploadGone()
        try:
            yield taken
        except DomainError:
            taken.unlink(missing_ok=True)
            raise
        except BaseException:
            taken.replace(path)
            raise
        taken.unlink(missing_ok=True)

    def sweep(self, now: datetime) -> int:
        """Remove every file kept longer than `kept_for` (and the folders left empty); how many."""
        removed = 0
        oldest = now.timestamp() - self.kept_for.total_seconds()
        for path in self.folder.glob("*/*"):
            with contextlib.suppress(FileNotFoundError):
                if path.stat().st_mtime < oldest:
                    path.unlink()
                    removed += 1
        for box in self.folder.glob("*"):
            with contextlib.suppress(OSError):
                if box.stat().st_mtime < oldest:
                    box.rmdir()  # only if empty: nothing kept in it for an hour
        return removed
