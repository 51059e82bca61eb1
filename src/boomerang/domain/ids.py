"""Sortable opaque ids: `<prefix>_<ULID>` — the time part makes keyset pagination newest-first."""

from __future__ import annotations

from datetime import datetime

from ulid import ULID


def new_id(prefix: str, at: datetime | None = None) -> str:
    """A new id; python-ulid keeps ids monotonic within a process (same millisecond -> random part + 1)."""
    ulid = ULID() if at is None else ULID.from_datetime(at)
    return f"{prefix}_{ulid}"


def new_secret(prefix: str, nbytes: int = 24) -> str:
    """A random bearer secret, e.g. `bk_live_...`; only its hash is stored."""
    import secrets

    return f"{prefix}_{secrets.token_urlsafe(nbytes)}"
