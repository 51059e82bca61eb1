"""Dashboard users' sessions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from boomerang.adapters.tables import core
from boomerang.adapters.tables.web import web_sessions


class WebSessionRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, *, session_id: str, user_id: str, now: datetime) -> None:
        self.session.execute(
            insert(web_sessions).values(id=session_id, user_id=user_id, created_at=now, last_seen_at=now)
        )

    def live_with_user(self, session_id: str) -> Any:
        """The unrevoked session and its user's columns, or None."""
        stmt = (
            select(
                web_sessions.c.id,
                web_sessions.c.last_seen_at,
                core.users.c.id.label("user_id"),
                core.users.c.email,
                core.users.c.role,
                core.users.c.merchant_id,
                core.users.c.fulfillment_center_ids,
                core.users.c.disabled_at,
            )
            .join(core.users, core.users.c.id == web_sessions.c.user_id)
            .where(web_sessions.c.id == session_id, web_sessions.c.revoked_at.is_(None))
        )
        return self.session.execute(stmt).first()

    def touch(self, session_id: str, now: datetime) -> None:
        self.session.execute(update(web_sessions).where(web_sessions.c.id == session_id).values(last_seen_at=now))

    def revoke(self, session_id: str, now: datetime) -> None:
        self.session.execute(
            update(web_sessions)
            .where(web_sessions.c.id == session_id, web_sessions.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )

    def revoke_all_of(self, user_id: str, now: datetime) -> None:
        self.session.execute(
            update(web_sessions)
            .where(web_sessions.c.user_id == user_id, web_sessions.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )

    def disable_user(self, user_id: str, now: datetime) -> bool:
        result = self.session.execute(
            update(core.users)
            .where(core.users.c.id == user_id, core.users.c.disabled_at.is_(None))
            .values(disabled_at=now)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]
