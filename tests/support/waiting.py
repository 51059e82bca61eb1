"""Waiting for a condition, never for a guessed number of seconds.

A test that needs something to have happened (a server answering, a backend waiting for a lock, a
replica catching up) asks `wait_until` to check it until it holds or a deadline passes; the poll
interval is how often to look, not a guess of how long the thing takes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class Timeout(AssertionError):
    """The condition did not hold before the deadline."""


def wait_until(
    condition: Callable[[], T],
    *,
    timeout: float,
    message: str | Callable[[], str],
    interval: float = 0.05,
    ignoring: tuple[type[BaseException], ...] = (),
) -> T:
    """Call `condition` until it returns something truthy, and return that; fail with `message` once
    `timeout` seconds have passed. Exceptions of the types in `ignoring` count as "not yet"."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            result = condition()
        except ignoring:
            result = None  # type: ignore[assignment]
        if result:
            return result
        if time.monotonic() >= deadline:
            raise Timeout(message() if callable(message) else message)
        time.sleep(interval)
