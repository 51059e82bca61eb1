"""What one attempt at a request did that decides whether it may be run again from the start.

The HTTP host's transaction retry (entrypoints/http/retry.py) opens a record per attempt; the error handlers
note a serialization failure or deadlock in it, and a use case notes every effect outside the database
(a carrier label bought) *before* making it. An attempt with such an effect is never replayed: rolling
back our transaction does not undo a purchase at the carrier.

The record travels in a context variable, so sync use cases running in the thread pool (which gets a
copy of the context, holding the same record object) write to the record the middleware reads.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field


@dataclass
class Attempt:
    transaction_conflict: bool = False
    external_effects: list[str] = field(default_factory=list)

    @property
    def may_run_again(self) -> bool:
        """Rolled back by a conflict, and nothing done outside the database that a rollback cannot undo."""
        return self.transaction_conflict and not self.external_effects


_current: ContextVar[Attempt | None] = ContextVar("boomerang_attempt", default=None)


@contextmanager
def attempt() -> Iterator[Attempt]:
    """Record what the code run inside does (one attempt at a request)."""
    record = Attempt()
    token = _current.set(record)
    try:
        yield record
    finally:
        _current.reset(token)


def note_external_effect(what: str) -> None:
    """Call before an effect outside our database (a purchase, a message sent): no replay from here on."""
    record = _current.get()
    if record is not None:
        record.external_effects.append(what)


def note_transaction_conflict() -> None:
    """The attempt's transaction was rolled back by a serialization failure or deadlock."""
    record = _current.get()
    if record is not None:
        record.transaction_conflict = True
