"""Where rate-limit counters live, for the API rate limit and the page sign-in throttle alike: the `limits`
library's storage, in memory (one budget per process) or in Redis (BOOMERANG_REDIS_URL: one budget shared
by every process), under BOOMERANG_REDIS_KEY_PREFIX."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from limits import RateLimitItemPerMinute
from limits.storage import MemoryStorage, Storage, storage_from_string

logger = logging.getLogger(__name__)

MEMORY = "memory://"


def make_limit_storage(uri: str, key_prefix: str) -> Storage:
    """The one place the counters' storage is built (a `memory://` or `redis://` URI)."""
    options = {} if uri.startswith(MEMORY) else {"key_prefix": key_prefix}
    storage = storage_from_string(uri, **options)
    if not isinstance(storage, Storage):  # an async storage (async+redis://) would not fit the sync callers
        raise TypeError(f"rate-limit storage {uri.split(':', 1)[0]} is not a synchronous storage")
    return storage


def is_remote(storage: Storage) -> bool:
    """Whether a call may wait on the network (then it belongs in a worker thread)."""
    return not isinstance(storage, MemoryStorage)


class RecentFailures:
    """How many failures a key had in the last `window`, counted by `limits` in one-minute buckets.

    Each failure increments the counter of its minute (a fixed window of the `limits` storage, expiring
    one minute after the window); the count is the sum of the buckets of the last `window` minutes, so a
    failure stops counting `window` after it happened, to the minute. Time is the caller's (the unit of
    work's clock), as with the database rows this replaces. When the storage cannot be reached, nothing
    is counted and every check passes (logged): like the API limit, the throttle must not lock everybody
    out because Redis is down.
    """

    def __init__(self, storage: Storage, window: timedelta, namespace: str) -> None:
        self.storage = storage
        self.minutes = max(1, int(window.total_seconds() // 60))
        self.bucket = RateLimitItemPerMinute(1, self.minutes + 1, namespace=namespace)

    def count(self, key: str, now: datetime, within: timedelta | None = None) -> int:
        """Failures over the window, or over the last `within` (whole minutes: the current one counts as one)."""
        minutes = self.minutes if within is None else max(1, min(self.minutes, int(within.total_seconds() // 60)))
        try:
            return sum(self.storage.get(self._key(key, minute)) for minute in self._minutes(now, minutes))
        except Exception:  # Redis down or timing out: let the sign-in be checked without the throttle
            logger.warning("sign-in throttle storage unavailable; failures not counted", exc_info=False)
            return 0

    def add(self, key: str, now: datetime) -> None:
        try:
            self.storage.incr(self._key(key, _minute(now)), self.bucket.get_expiry())
        except Exception:
            logger.warning("sign-in throttle storage unavailable; failure not counted", exc_info=False)

    def forget(self, key: str, now: datetime) -> None:
        try:
            for minute in self._minutes(now):
                self.storage.clear(self._key(key, minute))
        except Exception:
            logger.warning("sign-in throttle storage unavailable; failures not forgotten", exc_info=False)

    def _minutes(self, now: datetime, minutes: int | None = None) -> range:
        last = _minute(now)
        return range(last - (minutes or self.minutes) + 1, last + 1)

    def _key(self, key: str, minute: int) -> str:
        return self.bucket.key_for(key, str(minute))


def _minute(now: datetime) -> int:
    return int(now.timestamp() // 60)
