"""Read-only units of work read returns and products as rows (repositories/rows.py): the same aggregates,
the same rendering, nothing in the session."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import UnmappedInstanceError

from boomerang.adapters.repositories.rows import PREFERENCES, read_only_twin
from boomerang.bootstrap import make_uow_factory
from boomerang.domain.errors import NotFound
from boomerang.domain.products import ReturnPreferences
from boomerang.domain.returns import ReturnLine, ReturnOrder
from boomerang.domain.tenants import Merchant
from boomerang.sample import demo
from boomerang.sample.bench_seed import SeedSpec, merchant_api_key, seed
from boomerang.schemas.returns import ReturnRead
from boomerang.services.auth import SYSTEM
from boomerang.services.queries import ReturnFilters
from boomerang.services.read_models.returns import return_views
from tests.conftest import ADMIN_TOKEN


def _every_return(session_factory: sessionmaker[Session], *, read_only: bool) -> tuple[list[ReturnOrder], list[str]]:
    """Every return, page by page (a small page, so the keyset is exercised), with its API rendering."""
    orders: list[ReturnOrder] = []
    rendered: list[str] = []
    cursor: str | None = None
    with make_uow_factory(session_factory)(SYSTEM, read_only=read_only) as uow:
        while True:
            page = uow.returns.list(ReturnFilters(), cursor, 37)
            orders += page.items
            rendered += [ReturnRead.from_domain(v).model_dump_json() for v in return_views(uow, page.items)]
            if read_only:
                assert not [o for o in uow.session.identity_map.values() if isinstance(o, ReturnOrder)]
            if page.next_cursor is None:
                return orders, rendered
            cursor = page.next_cursor


def _label_and_tracking(client: TestClient) -> None:
    """A bought label and a carrier event on one of the big merchant's returns."""
    merchant = {"Authorization": f"Bearer {merchant_api_key(0)}"}
    waiting = client.get("/api/v1/returns", params={"status": "AwaitingArrival"}, headers=merchant).json()["items"]
    address = {"name": "Ann", "line1": "1 Main St", "city": "Springfield", "postal_code": "12345", "country": "US"}
    body = {"type": "Prepaid", "carrier": "UPS", "tracking_number": "1ZROWS00001", "origin_address": address}
    label = client.post(f"/api/v1/returns/{waiting[0]['id']}/label", json=body, headers=merchant)
    assert label.status_code == 201, label.text
    admin = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    token = client.post("/api/v1/admin/integration-tokens", json={"name": "carrier"}, headers=admin).json()["token"]
    event = {"tracking_number": "1ZROWS00001", "status": "InTransit", "occurred_at": "2026-12-01T10:00:00Z"}
    pushed = client.post("/api/v1/carrier-events", json=event, headers={"Authorization": f"Bearer {token}"})
    assert pushed.status_code == 202, pushed.text


@pytest.mark.several_connections
def test_rows_read_the_aggregates_the_orm_reads(
    engine: Engine, session_factory: sessionmaker[Session], client: TestClient
) -> None:
    # The demo holds inspections with photos and lots, RTS and every status; the bench seed adds volume
    # with a long tail of products; one return gets a label and a carrier event.
    demo.load_demo(lambda principal: make_uow_factory(session_factory)(principal))
    seed(engine, SeedSpec(returns=150, merchants=3))
    _label_and_tracking(client)
    by_rows, rendered_from_rows = _every_return(session_factory, read_only=True)
    by_orm, rendered_from_orm = _every_return(session_factory, read_only=False)
    assert len(by_rows) > 150
    assert by_rows == by_orm  # every column, line, status change and tracking event, in the same order
    assert rendered_from_rows == rendered_from_orm
    assert any(o.label for o in by_rows) and any(o.tracking_events for o in by_rows)
    assert any(line.inspection and line.actions_taken for o in by_rows for line in o.lines)


@pytest.mark.several_connections
def test_products_read_as_rows_are_the_orm_products(engine: Engine, session_factory: sessionmaker[Session]) -> None:
    seed(engine, SeedSpec(returns=60, merchants=2))
    factory = make_uow_factory(session_factory)
    with factory(SYSTEM, read_only=False) as uow:
        ids = sorted({line.product_id for o in uow.returns.list(ReturnFilters(), None, 60).items for line in o.lines})
        by_orm = uow.products.of_lines(ids)
    with factory(SYSTEM, read_only=True) as uow:
        by_rows = uow.products.of_lines(ids)
        again = uow.products.of_lines(ids[:3])  # held: not read twice
    assert by_rows == by_orm and len(by_rows) == len(ids)
    assert all(again[i] is by_rows[i] for i in ids[:3])
    assert {p.preferences for p in by_rows.values()} == {p.preferences for p in by_orm.values()}


@pytest.mark.several_connections
def test_read_only_twins_are_their_classes_equal_to_them_and_never_in_a_session(
    engine: Engine, session_factory: sessionmaker[Session]
) -> None:
    seed(engine, SeedSpec(returns=20, merchants=2))
    factory = make_uow_factory(session_factory)
    with factory(SYSTEM, read_only=True) as uow:
        by_rows = uow.returns.list(ReturnFilters(), None, 20).items
        products = uow.products.of_lines([line.product_id for o in by_rows for line in o.lines])
    with factory(SYSTEM, read_only=False) as uow:
        by_orm = uow.returns.list(ReturnFilters(), None, 20).items
        order = by_rows[0]
        assert isinstance(order, ReturnOrder) and type(order) is not ReturnOrder
        assert type(order) is read_only_twin(ReturnOrder) and isinstance(order.lines[0], ReturnLine)
        # plain attributes: the values are the instance's own, no instrumented descriptor in between
        assert vars(order)["status"] is order.status and vars(order)["lines"] is order.lines
        assert by_rows == by_orm and by_orm == by_rows  # equal both ways, children included
        changed = by_orm[0]
        changed.customer_name = "someone else"
        assert by_rows[0] != changed and changed != by_rows[0]
        product = next(iter(products.values()))
        assert product.preferences == ReturnPreferences(*(vars(product)[name] for name in PREFERENCES))
        with pytest.raises(UnmappedInstanceError):
            uow.session.add(order)
        uow.rollback()


@pytest.mark.several_connections
def test_a_read_only_unit_of_work_reads_merchants_and_fcs_as_rows(
    engine: Engine, session_factory: sessionmaker[Session]
) -> None:
    seed(engine, SeedSpec(returns=10, merchants=2))
    factory = make_uow_factory(session_factory)
    with factory(SYSTEM, read_only=False) as uow:
        orders = uow.returns.list(ReturnFilters(), None, 10).items
        merchant_ids = sorted({o.merchant_id for o in orders})
        fc_ids = sorted({o.fulfillment_center_id for o in orders})
        by_orm = ([uow.tenants.merchant(m) for m in merchant_ids], uow.tenants.fulfillment_centers(fc_ids))
    with factory(SYSTEM, read_only=True) as uow:
        merchants = [uow.tenants.merchant(m) for m in merchant_ids]
        fcs = uow.tenants.fulfillment_centers(fc_ids)
        assert (merchants, fcs) == by_orm
        assert all(type(m) is read_only_twin(Merchant) for m in merchants)
        assert uow.tenants.fulfillment_center(fc_ids[0]) is fcs[0]  # held: not read twice
        assert uow.tenants.merchant(merchant_ids[0]) is merchants[0]
        with pytest.raises(NotFound):
            uow.tenants.merchant("mer_nobody")
        with pytest.raises(NotFound):
            uow.tenants.fulfillment_center("fc_nowhere")
        assert not uow.session.identity_map
