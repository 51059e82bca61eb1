"""Sortable opaque ids: `<prefix>_<ULID>` — the time part makes keyset pagination newest-first."""

from __future__ import annotations

import os
import threading
import time
from datetime import datetime

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_lock = threading.Lock()
_last_ms = -1
_last_random = 0


def _encode(value: int, length: int) -> str:
    chars = []
    for _ in range(length):
        value, rem = divmod(value, 32)
        chars.append(_ALPHABET[rem])
    return "".join(reversed(chars))


def new_id(prefix: str, at: datetime | None = None) -> str:
    """A new id, monotonic within this process (same millisecond -> random part + 1)."""
    global _last_ms, _last_random
    ms = int(at.timestamp() * 1000) if at is not None else time.time_ns() // 1_000_000
    with _lock:
        if at is None and ms <= _last_ms:
            ms = _last_ms
            _last_random += 1
        else:
            _last_random = int.from_bytes(os.urandom(10), "big") >> 1
        if at is None:
            _last_ms = ms
        randomness = _last_random
    return f"{prefix}_{_encode(ms, 10)}{_encode(randomness, 16)}"


def new_secret(prefix: str, nbytes: int = 24) -> str:
    """A random bearer secret, e.g. `bk_live_...`; only its hash is stored."""
    import secrets

    return f"{prefix}_{secrets.token_urlsafe(nbytes)}"
