"""Stored responses of POSTs sent with an Idempotency-Key."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from boomerang.adapters.tables.core import idempotency_keys as t


class IdempotencyRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def claim(self, credential_id: str, key: str, request_hash: str, now: datetime) -> Any | None:
        """Insert an in-flight row; if the key exists already, return the existing row instead."""
        try:
            with self.session.begin_nested():
                self.session.execute(
                    insert(t).values(
                        credential_id=credential_id,
                        key=key,
                        request_hash=request_hash,
                        state="InFlight",
                        created_at=now,
                    )
                )
            return None
        except IntegrityError:
            return self.session.execute(select(t).where(t.c.credential_id == credential_id, t.c.key == key)).first()

    def finish(self, credential_id: str, key: str, status: int, body: str, headers: dict[str, str]) -> None:
        self.session.execute(
            update(t)
            .where(t.c.credential_id == credential_id, t.c.key == key)
            .values(state="Done", response_status=status, response_body=body, response_headers=headers)
        )

    def release(self, credential_id: str, key: str) -> None:
        self.session.execute(delete(t).where(t.c.credential_id == credential_id, t.c.key == key))

    def purge_older_than(self, cutoff: datetime) -> int:
        return self.session.execute(delete(t).where(t.c.created_at < cutoff)).rowcount  # type: ignore[attr-defined]
