"""Work orders: quarantined stock reserved on creation, moved out on completion, released on cancel."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from boomerang.adapters.tables.core import outbox_events
from boomerang.bootstrap import make_uow_factory
from boomerang.config import Settings
from boomerang.domain.errors import ValidationFailed
from boomerang.domain.inventory import Bucket
from boomerang.domain.tenants import Principal, Role
from boomerang.domain.work_orders import WorkOrderType
from boomerang.services import work_orders
from boomerang.services.auth import SYSTEM
from boomerang.services.work_orders import ItemRequest
from tests.api.stock import put_in_quarantine
from tests.errors import assert_error
from tests.support.builders import Api, FrozenClock, Merchant
from tests.support.concurrency import at_once

US_ADDRESS = {
    "name": "Acme Liquidators",
    "line1": "5 Depot Ave",
    "city": "Reno",
    "postal_code": "89502",
    "country": "US",
}


@pytest.fixture
def stocked(api: Api, session_factory: sessionmaker[Session], clock: FrozenClock) -> Any:
    """A merchant with 10 quarantined units of one product at a US FC, and that FC's operator."""
    merchant, fc, operator = api.setup()
    product = api.product(merchant)
    put_in_quarantine(
        session_factory, clock, merchant_id=merchant.id, product_id=product["id"], fc_id=fc["id"], quantity=10
    )
    return merchant, fc, operator, product


def _create(client: TestClient, merchant: Merchant, fc_id: str, items: list[dict[str, Any]], **body: Any) -> Any:
    payload = {"type": "Disposal", "fulfillment_center_id": fc_id, "items": items, **body}
    return client.post("/api/v1/work-orders", json=payload, headers=merchant.headers)


def _on_hand(session_factory: sessionmaker[Session], product_id: str, bucket: Bucket) -> int:
    with make_uow_factory(session_factory)(SYSTEM) as uow:
        return sum(p.quantity for p in uow.ledger.positions(bucket, product_ids=[product_id]))


def test_disposal_reserves_units_and_completion_disposes_them(
    client: TestClient, stocked: Any, session_factory: sessionmaker[Session]
) -> None:
    merchant, fc, operator, product = stocked
    created = _create(client, merchant, fc["id"], [{"product_id": product["id"], "quantity": 4}])
    assert created.status_code == 201, created.text
    order = created.json()
    assert (order["status"], order["type"], order["units"]) == ("Open", "Disposal", 4)
    assert order["items"][0]["sku"] == product["sku"]
    inventory = client.get("/api/v1/inventory", params={"product_id": product["id"]}, headers=merchant.headers).json()
    assert [(i["quarantine"], i["reserved"]) for i in inventory["items"]] == [(10, 4)]

    done = client.post(f"/api/v1/work-orders/{order['id']}/complete", headers=operator.headers)
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "Completed" and done.json()["completed_at"]
    assert _on_hand(session_factory, product["id"], Bucket.Quarantine) == 6
    assert _on_hand(session_factory, product["id"], Bucket.Disposed) == 4
    with make_uow_factory(session_factory)(SYSTEM) as uow:
        entries = uow.ledger.entries(work_order_id=order["id"])
        topics = uow.session.execute(select(outbox_events.c.topic, outbox_events.c.payload)).all()
    assert sorted((e.bucket.value, e.quantity) for e in entries) == [("Disposed", 4), ("Quarantine", -4)]
    completed = [payload for topic, payload in topics if topic == "work_order.completed"]
    assert [p["id"] for p in completed] == [order["id"]] and completed[0]["status"] == "Completed"
    inventory = client.get("/api/v1/inventory", params={"product_id": product["id"]}, headers=merchant.headers).json()
    assert [(i["quarantine"], i["reserved"]) for i in inventory["items"]] == [(6, 0)]


def test_never_more_than_unreserved_quarantine(client: TestClient, stocked: Any) -> None:
    merchant, fc, _, product = stocked
    too_many = _create(client, merchant, fc["id"], [{"product_id": product["id"], "quantity": 11}])
    assert too_many.status_code == 422
    assert too_many.json()["error"]["code"] == "insufficient_quarantine_stock"
    assert too_many.json()["error"]["details"][0]["field"] == "items[0].quantity"
    assert _create(client, merchant, fc["id"], [{"product_id": product["id"], "quantity": 7}]).status_code == 201
    second = _create(client, merchant, fc["id"], [{"product_id": product["id"], "quantity": 4}])
    assert second.status_code == 422 and second.json()["error"]["code"] == "insufficient_quarantine_stock"
    assert _create(client, merchant, fc["id"], [{"product_id": product["id"], "quantity": 3}]).status_code == 201


def test_cancel_releases_the_reservation(client: TestClient, stocked: Any) -> None:
    merchant, fc, operator, product = stocked
    order = _create(client, merchant, fc["id"], [{"product_id": product["id"], "quantity": 10}]).json()
    cancelled = client.post(f"/api/v1/work-orders/{order['id']}/cancel", headers=merchant.headers)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "Cancelled"
    assert _create(client, merchant, fc["id"], [{"product_id": product["id"], "quantity": 10}]).status_code == 201
    again = client.post(f"/api/v1/work-orders/{order['id']}/complete", headers=operator.headers)
    assert again.status_code == 409 and again.json()["error"]["code"] == "invalid_transition"


def test_completed_work_order_cannot_be_cancelled_or_completed_again(client: TestClient, stocked: Any) -> None:
    merchant, fc, operator, product = stocked
    order = _create(client, merchant, fc["id"], [{"product_id": product["id"], "quantity": 2}]).json()
    assert client.post(f"/api/v1/work-orders/{order['id']}/complete", headers=operator.headers).status_code == 200
    for who, action in ((merchant, "cancel"), (operator, "complete")):
        response = client.post(f"/api/v1/work-orders/{order['id']}/{action}", headers=who.headers)
        assert response.status_code == 409
        assert response.json()["error"]["code"] == "invalid_transition"


def test_removal_ships_only_within_the_fc_country(
    client: TestClient, stocked: Any, session_factory: sessionmaker[Session]
) -> None:
    merchant, fc, operator, product = stocked
    items = [{"product_id": product["id"], "quantity": 2}]
    abroad = _create(client, merchant, fc["id"], items, type="B2BRemoval", ship_to={**US_ADDRESS, "country": "CA"})
    assert abroad.status_code == 422 and abroad.json()["error"]["code"] == "removal_country_mismatch"
    missing = _create(client, merchant, fc["id"], items, type="B2CRemoval")
    assert_error(missing, 422, "validation_error", "ship_to")
    disposal_with_address = _create(client, merchant, fc["id"], items, ship_to=US_ADDRESS)
    assert_error(disposal_with_address, 422, "validation_error", "ship_to")
    order = _create(client, merchant, fc["id"], items, type="B2CRemoval", ship_to=US_ADDRESS)
    assert order.status_code == 201, order.text
    assert order.json()["ship_to"] == US_ADDRESS
    assert (
        client.post(f"/api/v1/work-orders/{order.json()['id']}/complete", headers=operator.headers).status_code == 200
    )
    assert _on_hand(session_factory, product["id"], Bucket.Shipped) == 2


def test_units_come_from_the_named_lot_else_earliest_expiry_first(
    api: Api, client: TestClient, session_factory: sessionmaker[Session], clock: FrozenClock
) -> None:
    merchant, fc, _ = api.setup()
    product = api.product(merchant, is_lot_tracked=True)
    for lot, expiry in (("LATE", date(2027, 6, 1)), ("EARLY", date(2027, 1, 1))):
        put_in_quarantine(
            session_factory,
            clock,
            merchant_id=merchant.id,
            product_id=product["id"],
            fc_id=fc["id"],
            quantity=3,
            lot_number=lot,
            expiration_date=expiry,
        )
    named = _create(client, merchant, fc["id"], [{"product_id": product["id"], "quantity": 2, "lot_number": "LATE"}])
    assert [(i["lot_number"], i["quantity"]) for i in named.json()["items"]] == [("LATE", 2)]
    spread = _create(client, merchant, fc["id"], [{"product_id": product["id"], "quantity": 4}])
    assert spread.status_code == 201, spread.text
    assert [(i["lot_number"], i["quantity"]) for i in spread.json()["items"]] == [("EARLY", 3), ("LATE", 1)]
    unknown_lot = _create(client, merchant, fc["id"], [{"product_id": product["id"], "quantity": 1, "lot_number": "X"}])
    assert_error(unknown_lot, 422, "insufficient_quarantine_stock", "items[0].quantity")


@pytest.fixture
def two_expiries(api: Api, session_factory: sessionmaker[Session], clock: FrozenClock) -> Any:
    """Lot L-7 in quarantine twice: 2 units expiring 2027-03-01 and 4 expiring 2027-09-01."""
    merchant, fc, operator = api.setup()
    product = api.product(merchant, is_lot_tracked=True)
    for quantity, expiry in ((4, date(2027, 9, 1)), (2, date(2027, 3, 1))):
        put_in_quarantine(
            session_factory,
            clock,
            merchant_id=merchant.id,
            product_id=product["id"],
            fc_id=fc["id"],
            quantity=quantity,
            lot_number="L-7",
            expiration_date=expiry,
        )
    return merchant, fc, operator, product


def _stock_of(client: TestClient, merchant: Merchant, product_id: str) -> list[tuple[Any, ...]]:
    body = client.get("/api/v1/inventory", params={"product_id": product_id}, headers=merchant.headers).json()
    return [(i["lot_number"], i["expiration_date"], i["quarantine"], i["reserved"]) for i in body["items"]]


def test_a_lot_with_two_expiries_is_allocated_earliest_expiry_first(client: TestClient, two_expiries: Any) -> None:
    merchant, fc, operator, product = two_expiries
    assert _stock_of(client, merchant, product["id"]) == [("L-7", "2027-03-01", 2, 0), ("L-7", "2027-09-01", 4, 0)]
    created = _create(client, merchant, fc["id"], [{"product_id": product["id"], "quantity": 3, "lot_number": "L-7"}])
    assert created.status_code == 201, created.text
    assert [(i["lot_number"], i["expiration_date"], i["quantity"]) for i in created.json()["items"]] == [
        ("L-7", "2027-03-01", 2),
        ("L-7", "2027-09-01", 1),
    ]
    assert _stock_of(client, merchant, product["id"]) == [("L-7", "2027-03-01", 2, 2), ("L-7", "2027-09-01", 4, 1)]
    done = client.post(f"/api/v1/work-orders/{created.json()['id']}/complete", headers=operator.headers)
    assert done.status_code == 200, done.text
    assert _stock_of(client, merchant, product["id"]) == [("L-7", "2027-09-01", 3, 0)]
    ledger = client.get(
        "/api/v1/inventory/ledger", params={"work_order_id": created.json()["id"]}, headers=merchant.headers
    ).json()
    assert sorted((e["bucket"], e["expiration_date"], e["quantity"]) for e in ledger["items"]) == [
        ("Disposed", "2027-03-01", 2),
        ("Disposed", "2027-09-01", 1),
        ("Quarantine", "2027-03-01", -2),
        ("Quarantine", "2027-09-01", -1),
    ]


def test_a_work_order_may_name_the_expiry_of_a_lot(client: TestClient, two_expiries: Any) -> None:
    merchant, fc, _, product = two_expiries
    item = {"product_id": product["id"], "lot_number": "L-7", "expiration_date": "2027-09-01"}
    created = _create(client, merchant, fc["id"], [{**item, "quantity": 4}])
    assert created.status_code == 201, created.text
    assert [(i["expiration_date"], i["quantity"]) for i in created.json()["items"]] == [("2027-09-01", 4)]
    # the 2 units expiring in March are still free, the September ones are all reserved
    too_many = _create(client, merchant, fc["id"], [{**item, "quantity": 1}])
    assert too_many.json()["error"]["code"] == "insufficient_quarantine_stock"
    early = _create(client, merchant, fc["id"], [{**item, "expiration_date": "2027-03-01", "quantity": 2}])
    assert early.status_code == 201, early.text
    expiry_only = {"product_id": product["id"], "quantity": 1, "expiration_date": "2027-03-01"}
    no_lot = _create(client, merchant, fc["id"], [expiry_only])
    assert_error(no_lot, 422, "validation_error", "items[0].expiration_date")
    assert no_lot.json()["error"]["details"][0]["field"] == "items[0].expiration_date"


def test_disposal_fee_is_charged_per_unit_on_completion(api: Api, client: TestClient, stocked: Any) -> None:
    merchant, fc, operator, product = stocked
    schedule = {
        "return_processing_fee": {"amount": "3.00", "currency_code": "USD"},
        "quarantine_storage_fee_per_unit_day": {"amount": "0.05", "currency_code": "USD"},
        "disposal_fee_per_unit": {"amount": "0.35", "currency_code": "USD"},
        "removal_fee_per_unit": {"amount": "1.00", "currency_code": "USD"},
    }
    put = client.put(f"/api/v1/admin/merchants/{merchant.id}/fee-schedule", json=schedule, headers=api.admin)
    assert put.status_code == 200, put.text
    order = _create(client, merchant, fc["id"], [{"product_id": product["id"], "quantity": 5}]).json()
    client.post(f"/api/v1/work-orders/{order['id']}/complete", headers=operator.headers)
    txs = client.get("/api/v1/transactions", params={"transaction_type": "DisposalFee"}, headers=merchant.headers)
    assert [(t["amount"]["amount"], t["work_order_id"]) for t in txs.json()["items"]] == [("1.75", order["id"])]


def test_only_the_merchant_creates_and_only_an_operator_of_the_fc_completes(
    api: Api, client: TestClient, stocked: Any
) -> None:
    merchant, fc, operator, product = stocked
    items = [{"product_id": product["id"], "quantity": 1}]
    payload = {"type": "Disposal", "fulfillment_center_id": fc["id"], "items": items}
    assert_error(client.post("/api/v1/work-orders", json=payload, headers=operator.headers), 403, "forbidden")
    order = _create(client, merchant, fc["id"], items).json()
    elsewhere = api.operator(api.fulfillment_center()["id"])
    not_here = client.post(f"/api/v1/work-orders/{order['id']}/complete", headers=elsewhere.headers)
    assert_error(not_here, 404, "work_order_not_found")
    assert_error(client.post(f"/api/v1/work-orders/{order['id']}/complete", headers=merchant.headers), 403, "forbidden")
    other = api.merchant()
    assert_error(client.get(f"/api/v1/work-orders/{order['id']}", headers=other.headers), 404, "work_order_not_found")
    assert client.get(f"/api/v1/work-orders/{order['id']}", headers=operator.headers).status_code == 200
    foreign = _create(client, other, fc["id"], items)
    assert_error(foreign, 422, "validation_error", "items[0].product_id")
    assert foreign.json()["error"]["details"][0]["field"] == "items[0].product_id"


def test_work_orders_are_listed_newest_first_per_tenant(api: Api, client: TestClient, stocked: Any) -> None:
    merchant, fc, operator, product = stocked
    ids = [
        _create(client, merchant, fc["id"], [{"product_id": product["id"], "quantity": 1}]).json()["id"] for _ in "abc"
    ]
    first = client.get("/api/v1/work-orders", params={"limit": 2}, headers=merchant.headers).json()
    rest = client.get(
        "/api/v1/work-orders", params={"limit": 2, "cursor": first["next_cursor"]}, headers=merchant.headers
    ).json()
    assert [o["id"] for o in first["items"] + rest["items"]] == ids[::-1] and rest["next_cursor"] is None
    seen_by_operator = client.get("/api/v1/work-orders", params={"status": "Open"}, headers=operator.headers).json()
    assert len(seen_by_operator["items"]) == 3
    assert client.get("/api/v1/work-orders", headers=api.merchant().headers).json()["items"] == []


def test_products_with_quarantine_stock_are_filtered(api: Api, client: TestClient, stocked: Any) -> None:
    merchant, _, _, product = stocked
    api.product(merchant)
    quarantined = client.get("/api/v1/products", params={"quarantined": "true"}, headers=merchant.headers).json()
    assert [p["id"] for p in quarantined["items"]] == [product["id"]]
    others = client.get("/api/v1/products", params={"quarantined": "false"}, headers=merchant.headers).json()
    assert product["id"] not in [p["id"] for p in others["items"]] and len(others["items"]) == 1


@pytest.mark.several_connections
def test_parallel_requests_never_over_reserve(
    api: Api, session_factory: sessionmaker[Session], clock: FrozenClock, settings: Settings
) -> None:
    """Eight merchants' requests at once for 3 of 10 units each (two products, locked in either order)."""
    merchant, fc, _ = api.setup()
    products = [api.product(merchant)["id"] for _ in range(2)]
    for product_id in products:
        put_in_quarantine(
            session_factory, clock, merchant_id=merchant.id, product_id=product_id, fc_id=fc["id"], quantity=10
        )
    principal = Principal(Role.Merchant, credential_id="test", name="test", merchant_id=merchant.id)

    def request(n: int) -> str:
        ordered = products if n % 2 else products[::-1]
        try:
            with make_uow_factory(session_factory, settings, clock)(principal) as uow:
                work_orders.create_work_order(
                    uow,
                    type=WorkOrderType.Disposal,
                    fulfillment_center_id=fc["id"],
                    items=[ItemRequest(pid, 3) for pid in ordered],
                    ship_to=None,
                )
            return "created"
        except ValidationFailed as error:
            return error.code

    outcomes = at_once([partial(request, n) for n in range(8)])
    assert sorted(outcomes) == ["created"] * 3 + ["insufficient_quarantine_stock"] * 5
    with make_uow_factory(session_factory)(SYSTEM) as uow:
        reserved = uow.work_orders.reserved(merchant.id, products, fc["id"])
    assert sorted(reserved.values()) == [9, 9]
