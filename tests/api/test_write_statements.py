"""The write requests of the dock and of POST /returns read nothing they can know without reading."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event

from tests.api.dock import scan, shipment
from tests.support.builders import Api


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    seen: list[str] = []

    def note(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        seen.append(statement.lstrip())

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


def test_a_new_return_is_answered_without_reading_its_fees(api: Api, engine: Engine) -> None:
    merchant, fc, _ = api.setup()
    with statements(engine) as seen:
        created = api.return_order(merchant, fc["id"])
    assert created["invoice_amount"]["amount"] in ("0", "0.00")
    assert not [s for s in seen if s.startswith("SELECT transactions.")]


def test_a_return_charged_in_the_transaction_that_created_it_shows_the_fee(api: Api) -> None:
    """Rule 2 of the dock: a return built from a shipment at arrival is charged at once, and answered so."""
    merchant, fc, operator = api.setup()
    product = api.product(merchant)
    shipment(api, merchant, fc["id"], [product], tracking_number="1ZFEEAT0001")
    received = scan(api, operator, fc["id"], "1ZFEEAT0001").json()
    assert received["outcome"] == "regular_created"
    shown = api.client.get(f"/api/v1/returns/{received['return']['id']}", headers=merchant.headers).json()
    assert received["return"]["invoice_amount"] == shown["invoice_amount"]
    assert shown["invoice_amount"]["amount"] not in ("0", "0.00")


def test_an_operator_is_authenticated_in_one_query(api: Api, engine: Engine) -> None:
    _, _, operator = api.setup()
    with statements(engine) as seen:
        response = api.client.get("/api/v1/warehouse/unidentified", headers=operator.headers)
    assert response.status_code == 200, response.text
    assert len([s for s in seen if "FROM credentials" in s]) == 1
    assert not [s for s in seen if s.startswith("SELECT operators.")]


def test_a_return_is_rendered_with_its_fc_and_merchant_read_in_one_query(api: Api, engine: Engine) -> None:
    merchant, fc, operator = api.setup()
    order = api.return_order(merchant, fc["id"], tracking_number="1ZONEQUERY01")
    with statements(engine) as created:
        again = api.return_order(merchant, fc["id"])
    scan(api, operator, fc["id"], "1ZONEQUERY01")
    with statements(engine) as started:
        response = api.client.post(f"/api/v1/returns/{order['id']}/start-processing", headers=operator.headers)
    assert response.status_code == 200, response.text
    assert response.json()["fulfillment_center"] == again["fulfillment_center"]
    for seen in (created, started):
        assert len([s for s in seen if "FROM merchants" in s]) == 1
        assert not [s for s in seen if s.startswith("SELECT fulfillment_centers.")]


def test_each_dock_step_writes_the_return_once_and_flushes_once(api: Api, engine: Engine) -> None:
    """Its change, its new version and search text in one UPDATE (not a second one at commit)."""
    merchant, fc, operator = api.setup()
    order = api.return_order(merchant, fc["id"], tracking_number="1ZONEWRITE01")
    line = order["inventory"][0]
    steps = [
        ("POST", "/api/v1/warehouse/receipts", {"fulfillment_center_id": fc["id"], "scanned": "1ZONEWRITE01"}),
        ("POST", f"/api/v1/returns/{order['id']}/start-processing", None),
        ("PUT", f"/api/v1/returns/{order['id']}/inventory/{line['id']}/inspection", {"quantity_received": 1}),
        ("POST", f"/api/v1/returns/{order['id']}/complete", None),
    ]
    versions = []
    for method, url, body in steps:
        with statements(engine) as seen:
            response = api.client.request(method, url, json=body, headers=operator.headers)
        assert response.status_code in (200, 201), response.text
        assert len([s for s in seen if s.startswith("UPDATE return_orders")]) == 1, url
        shown = api.client.get(f"/api/v1/returns/{order['id']}", headers=merchant.headers)
        versions.append(shown.json()["version"])
    assert versions == list(range(order["version"] + 1, order["version"] + 5))
