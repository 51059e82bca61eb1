"""Another merchant's (or another FC's) objects do not exist for you: 404 on every verb, absent from lists."""

from __future__ import annotations

from typing import Any

from tests.errors import assert_error
from tests.support.builders import Api

V1 = "/api/v1"


def assert_not_found(response: Any) -> None:
    assert response.status_code == 404, response.text
    assert response.json()["error"]["code"].endswith("not_found")


def test_merchant_b_gets_404_on_every_verb_of_merchant_a_returns(api: Api) -> None:
    a, fc, _ = api.setup()
    b = api.merchant()
    order = api.return_order(a, fc["id"])
    own = api.return_order(b, fc["id"])
    for method, path, body in (
        ("get", f"/returns/{order['id']}", None),
        ("patch", f"/returns/{order['id']}", {"customer_name": "Mallory"}),
        ("post", f"/returns/{order['id']}/cancel", None),
        ("get", f"/returns/{order['id']}/status-history", None),
    ):
        assert_not_found(api.client.request(method, V1 + path, json=body, headers=b.headers))
    # The 404 is the same as for an id that never existed: nothing reveals that it does.
    ghost = api.client.get(f"{V1}/returns/ret_00000000000000000000000000", headers=b.headers)
    theirs = api.client.get(f"{V1}/returns/{order['id']}", headers=b.headers)
    assert ghost.json()["error"]["code"] == theirs.json()["error"]["code"]
    unchanged = api.client.get(f"{V1}/returns/{order['id']}", headers=a.headers).json()
    assert unchanged == order
    listed = api.client.get(f"{V1}/returns", headers=b.headers).json()["items"]
    assert [r["id"] for r in listed] == [own["id"]]
    for params in ({"reference_id": order["reference_id"]}, {"q": order["reference_id"]}):
        assert api.client.get(f"{V1}/returns", params=params, headers=b.headers).json()["items"] == []


def test_merchant_b_gets_404_on_every_verb_of_merchant_a_products(api: Api) -> None:
    a, b = api.merchant(), api.merchant()
    product = api.product(a)
    for method, path, body in (
        ("get", f"/products/{product['id']}", None),
        ("patch", f"/products/{product['id']}", {"name": "Stolen"}),
        ("get", f"/products/{product['id']}/return-preferences", None),
        ("put", f"/products/{product['id']}/return-preferences", {"return_action": "Dispose"}),
    ):
        assert_not_found(api.client.request(method, V1 + path, json=body, headers=b.headers))
    assert api.client.get(f"{V1}/products/{product['id']}", headers=a.headers).json() == product
    assert api.client.get(f"{V1}/products", headers=b.headers).json()["items"] == []
    for params in ({"sku": product["sku"]}, {"q": product["name"]}):
        assert api.client.get(f"{V1}/products", params=params, headers=b.headers).json()["items"] == []
    export = api.client.get(f"{V1}/products/return-preferences/export", headers=b.headers).text
    assert product["sku"] not in export


def test_a_return_cannot_name_another_merchants_product(api: Api) -> None:
    a, fc, _ = api.setup()
    b = api.merchant()
    product = api.product(a, sku="A-ONLY-1")
    for line in ({"product_id": product["id"], "quantity": 1}, {"sku": "A-ONLY-1", "quantity": 1}):
        body = {"reference_id": "RMA-CROSS-01", "fulfillment_center_id": fc["id"], "inventory": [line]}
        response = api.client.post(f"{V1}/returns", json=body, headers=b.headers)
        assert response.status_code == 422
        assert response.json()["error"]["code"] == "unknown_product"
    own = api.return_order(b, fc["id"])
    patch = {"inventory": [{"product_id": product["id"], "quantity": 1}]}
    response = api.client.patch(f"{V1}/returns/{own['id']}", json=patch, headers=b.headers)
    assert_error(response, 422, "unknown_product", "inventory[0]")


def test_operator_of_another_fc_gets_404(api: Api) -> None:
    merchant, fc, _ = api.setup()
    elsewhere = api.operator(api.fulfillment_center("DE")["id"])
    order = api.return_order(merchant, fc["id"])
    for path in (f"/returns/{order['id']}", f"/returns/{order['id']}/status-history"):
        assert_not_found(api.client.get(V1 + path, headers=elsewhere.headers))
    assert api.client.get(f"{V1}/returns", headers=elsewhere.headers).json()["items"] == []
