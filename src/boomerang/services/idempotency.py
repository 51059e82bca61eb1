"""Idempotency-Key records: a POST's response stored per (credential, key), committed with its work.

The API middleware is the HTTP side (it reads the header, captures the response and replays it); the
worker's purge job forgets records after the retention.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from boomerang.services.auth import SYSTEM
from boomerang.services.unit_of_work import RequestTransaction, UnitOfWork, UnitOfWorkFactory

RETENTION = timedelta(hours=48)  # the contract promises at least 24 h


def stored_response(uow_factory: UnitOfWorkFactory, credential: str, key: str) -> Any | None:
    """The committed record of (credential, key), if a request with that key has finished."""
    with uow_factory(SYSTEM) as uow:
        return uow.idempotency.find(credential, key)


def commit_with_response(
    transaction: RequestTransaction,
    *,
    credential: str,
    key: str,
    request_hash: str,
    response: tuple[int, str, Any],
    now: datetime,
) -> None:
    """Commit the request's work and its stored response in one commit."""
    transaction.commit_with_response(credential, key, request_hash, response, now)


def purge_expired(uow: UnitOfWork) -> int:
    """Forget stored responses older than the retention; how many were purged."""
    purged = uow.idempotency.purge_older_than(uow.now - RETENTION)
    uow.commit()
    return purged
