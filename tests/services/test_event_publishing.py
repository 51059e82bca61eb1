"""Every aggregate a unit of work loaded, listed or added publishes the events it raised, rendered as the API does."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from boomerang.adapters.tables.core import outbox_events
from boomerang.bootstrap import make_uow_factory
from boomerang.domain.tenants import Principal, Role
from boomerang.services.queries import ReturnFilters
from tests.support.builders import Api, FrozenClock


def _events(session_factory: sessionmaker[Session], merchant_id: str) -> list[tuple[str, dict[str, object]]]:
    with session_factory() as session:
        stmt = select(outbox_events.c.topic, outbox_events.c.payload).where(outbox_events.c.merchant_id == merchant_id)
        return [(topic, payload) for topic, payload in session.execute(stmt.order_by(outbox_events.c.id))]


def test_a_return_found_by_a_list_and_changed_is_published(
    api: Api, session_factory: sessionmaker[Session], clock: FrozenClock
) -> None:
    merchant, fc, _ = api.setup()
    order = api.return_order(merchant, fc["id"])
    principal = Principal(Role.Merchant, "test", "test", merchant_id=merchant.id)
    with make_uow_factory(session_factory, clock=clock)(principal) as uow:
        (listed,) = uow.returns.list(ReturnFilters(), None, 10).items
        listed.cancel(principal.actor, uow.now)  # a use case the unit of work was never told about
        uow.commit()
    published = _events(session_factory, merchant.id)
    assert [topic for topic, _ in published] == ["return.created", "return.cancelled"]
    cancelled = api.client.get(f"/api/v1/returns/{order['id']}", headers=merchant.headers).json()
    assert published[1][1] == cancelled
    assert cancelled["status"] == "Cancelled" and cancelled["version"] == order["version"] + 1


def test_a_change_without_an_event_publishes_nothing_and_keeps_the_version(
    api: Api, session_factory: sessionmaker[Session], clock: FrozenClock
) -> None:
    merchant, fc, _ = api.setup()
    order = api.return_order(merchant, fc["id"])
    principal = Principal(Role.Merchant, "test", "test", merchant_id=merchant.id)
    with make_uow_factory(session_factory, clock=clock)(principal) as uow:
        uow.returns.get(order["id"])
        uow.commit()
    assert [topic for topic, _ in _events(session_factory, merchant.id)] == ["return.created"]
    again = api.client.get(f"/api/v1/returns/{order['id']}", headers=merchant.headers).json()
    assert again["version"] == order["version"]
