"""A return may only name its own merchant's shipment, and the dock matches shipments within their merchant."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Engine, update

from boomerang.adapters.tables.core import return_orders
from tests.api.dock import scan, shipment
from tests.errors import assert_error
from tests.support.builders import Api, Merchant, unique

V1 = "/api/v1"


def _create(api: Api, merchant: Merchant, fc_id: str, product: dict[str, Any], shipment_id: str) -> Any:
    body = {
        "reference_id": unique("RMA-SHP"),
        "fulfillment_center_id": fc_id,
        "inventory": [{"product_id": product["id"], "quantity": 1}],
        "original_shipment_id": shipment_id,
    }
    return api.client.post(f"{V1}/returns", json=body, headers=merchant.headers)


def _refusal(response: Any, shipment_id: str) -> Any:
    """The error body, with the id it names replaced, so unknown and foreign shipments can be compared."""
    assert_error(response, 422, "unknown_shipment", "original_shipment_id")
    return json.loads(response.text.replace(shipment_id, "ID"))["error"]


def test_a_return_names_its_own_shipment(api: Api) -> None:
    merchant, fc, _ = api.setup()
    product = api.product(merchant)
    sent = shipment(api, merchant, fc["id"], [product])
    response = _create(api, merchant, fc["id"], product, sent["id"])
    assert response.status_code == 201, response.text
    assert response.json()["original_shipment_id"] == sent["id"]


def test_another_merchants_shipment_gets_the_same_answer_as_an_unknown_one(api: Api) -> None:
    a, fc, _ = api.setup()
    b = api.merchant()
    theirs = shipment(api, b, fc["id"], [api.product(b)])
    product = api.product(a)
    foreign = _refusal(_create(api, a, fc["id"], product, theirs["id"]), theirs["id"])
    nowhere = "shp_01NOSUCHSHIPMENT0000000000"
    unknown = _refusal(_create(api, a, fc["id"], product, nowhere), nowhere)
    assert foreign == unknown
    assert foreign["code"] == "unknown_shipment"
    assert [d["field"] for d in foreign["details"]] == ["original_shipment_id"]
    assert api.client.get(f"{V1}/returns", headers=a.headers).json()["items"] == []


def test_editing_to_another_merchants_shipment_is_refused(api: Api) -> None:
    a, fc, _ = api.setup()
    b = api.merchant()
    theirs = shipment(api, b, fc["id"], [api.product(b)])
    order = api.return_order(a, fc["id"])
    url = f"{V1}/returns/{order['id']}"
    response = api.client.patch(url, json={"original_shipment_id": theirs["id"]}, headers=a.headers)
    assert response.status_code == 422 and response.json()["error"]["code"] == "unknown_shipment"
    assert api.client.get(url, headers=a.headers).json()["original_shipment_id"] is None


def _name_foreign_shipment(engine: Engine, return_id: str, shipment_id: str) -> None:
    """A return saved before the rule existed, naming another merchant's shipment."""
    with engine.begin() as conn:
        stmt = update(return_orders).where(return_orders.c.id == return_id)
        conn.execute(stmt.values(original_shipment_id=shipment_id))


def test_the_dock_matches_a_shipment_only_to_returns_of_its_merchant(api: Api, engine: Engine) -> None:
    fc = api.fulfillment_center()
    operator = api.operator(fc["id"])
    a, b = api.merchant(), api.merchant()
    theirs = shipment(api, b, fc["id"], [api.product(b)])
    squatter = api.return_order(a, fc["id"])
    _name_foreign_shipment(engine, squatter["id"], theirs["id"])
    body = scan(api, operator, fc["id"], theirs["tracking_number"]).json()
    assert body["outcome"] == "regular_created"
    assert body["return"]["original_shipment_id"] == theirs["id"]
    assert api.client.get(f"{V1}/returns", headers=b.headers).json()["items"][0]["id"] == body["return"]["id"]
    untouched = api.client.get(f"{V1}/returns/{squatter['id']}", headers=a.headers).json()
    assert untouched["status"] == "AwaitingArrival" and untouched["transactions"] == []


def test_a_foreign_return_at_another_fc_never_reaches_the_operator(api: Api, engine: Engine) -> None:
    home, away = api.fulfillment_center(), api.fulfillment_center()
    operator = api.operator(home["id"])
    a, b = api.merchant(), api.merchant()
    theirs = shipment(api, b, home["id"], [api.product(b)])
    squatter = api.return_order(a, away["id"])
    _name_foreign_shipment(engine, squatter["id"], theirs["id"])
    response = scan(api, operator, home["id"], theirs["tracking_number"])
    assert response.status_code == 201, response.text  # was a 404 naming merchant A's return
    assert response.json()["outcome"] == "regular_created"
    assert squatter["id"] not in response.text
