"""Integration configurations and the log of inbound events (which doubles as the dedup record)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from boomerang.adapters.repositories.base import Page, keyset_page
from boomerang.adapters.tables.webhooks import inbound_events, integration_configs
from boomerang.domain.error_codes import IntegrationErrorCode
from boomerang.domain.errors import NotFound
from boomerang.domain.integrations import InboundResult, Provider

ev = inbound_events
cfg = integration_configs


class IntegrationRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def config(self, merchant_id: str, provider: Provider) -> Any:
        row = self.session.execute(
            select(cfg).where(cfg.c.merchant_id == merchant_id, cfg.c.provider == provider.value)
        ).first()
        if row is None:
            raise NotFound(
                f"no {provider.value} integration is configured here",
                code=IntegrationErrorCode.INTEGRATION_NOT_CONFIGURED,
            )
        return row

    def save_config(self, merchant_id: str, provider: Provider, **values: Any) -> None:
        """Insert or replace in one statement, so two first configurations at once cannot both insert."""
        dialect_insert = pg_insert if self.session.get_bind().dialect.name == "postgresql" else sqlite_insert
        stmt = dialect_insert(cfg).values(
            merchant_id=merchant_id, provider=provider.value, created_at=values["updated_at"], **values
        )
        key = [cfg.c.merchant_id, cfg.c.provider]
        self.session.execute(stmt.on_conflict_do_update(index_elements=key, set_=values))

    def accepted(self, merchant_id: str, provider: Provider, dedup_key: str) -> Any:
        return self.session.execute(
            select(ev).where(
                ev.c.merchant_id == merchant_id, ev.c.provider == provider.value, ev.c.dedup_key == dedup_key
            )
        ).first()

    def claim(self, **values: Any) -> bool:
        """Record an accepted event; False when a concurrent delivery of the same event got there first."""
        try:
            with self.session.begin_nested():
                self.session.execute(insert(ev).values(**values))
        except IntegrityError:
            return False
        return True

    def add_event(self, **values: Any) -> None:
        self.session.execute(insert(ev).values(**values))

    def set_outcome(self, event_id: str, **values: Any) -> None:
        self.session.execute(update(ev).where(ev.c.id == event_id).values(**values))

    def event(self, event_id: str) -> Any:
        return self.session.execute(select(ev).where(ev.c.id == event_id)).one()

    def created_return_id(self, merchant_id: str, provider: Provider, external_id: str) -> str | None:
        """The return an earlier event of this portal return created, if any."""
        return self.session.execute(
            select(ev.c.return_id)
            .where(
                ev.c.merchant_id == merchant_id,
                ev.c.provider == provider.value,
                ev.c.external_id == external_id,
                ev.c.result == InboundResult.Created.value,
            )
            .order_by(ev.c.id.desc())
            .limit(1)
        ).scalar_one_or_none()

    def events(
        self, merchant_id: str, provider: Provider | None, result: InboundResult | None, cursor: str | None, limit: int
    ) -> Page[Any]:
        stmt = select(ev).where(ev.c.merchant_id == merchant_id)
        if provider is not None:
            stmt = stmt.where(ev.c.provider == provider.value)
        if result is not None:
            stmt = stmt.where(ev.c.result == result.value)
        return keyset_page(self.session, stmt, ev.c.id, cursor, limit, scalars=False)
