"""Stored responses of POSTs sent with an Idempotency-Key (written in the request's own transaction)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from boomerang.adapters.tables.core import idempotency_keys as t

DONE = "Done"


class IdempotencyRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def find(self, credential_id: str, key: str) -> Any | None:
        """The stored response for this key, if its request committed."""
        return self.session.execute(
            select(t).where(t.c.credential_id == credential_id, t.c.key == key, t.c.state == DONE)
        ).first()

    def store(
        self,
        credential_id: str,
        key: str,
        request_hash: str,
        response: tuple[int, str, dict[str, str]],
        now: datetime,
    ) -> None:
        """Record the response; IntegrityError when a concurrent request with the key committed first.

        Rows in any other state are leftovers of the earlier claim-first scheme and are replaced.
        """
        status, body, headers = response
        self.session.execute(delete(t).where(t.c.credential_id == credential_id, t.c.key == key, t.c.state != DONE))
        self.session.execute(
            insert(t).values(
                credential_id=credential_id,
                key=key,
                request_hash=request_hash,
                state=DONE,
                created_at=now,
                response_status=status,
                response_body=body,
                response_headers=headers,
            )
        )

    def purge_older_than(self, cutoff: datetime) -> int:
        return self.session.execute(delete(t).where(t.c.created_at < cutoff)).rowcount  # type: ignore[attr-defined]
