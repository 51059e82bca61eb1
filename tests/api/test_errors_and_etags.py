"""Every 4xx carries the error envelope; malformed or shapeless bodies are 4xx, never 500; ETags on returns."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from boomerang.entrypoints.http.app import create_app
from tests.errors import assert_error
from tests.support.builders import Api

V1 = "/api/v1"


def assert_envelope(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"code", "message", "details"}
    assert isinstance(error["code"], str) and error["code"] == error["code"].lower()
    assert isinstance(error["message"], str) and error["message"]
    assert all(set(d) == {"field", "message"} for d in error["details"])
    if code is not None:
        assert error["code"] == code
    return dict(error)


def write_endpoints(api: Api) -> list[tuple[str, str, dict[str, str]]]:
    merchant, fc, _ = api.setup()
    product = api.product(merchant)
    order = api.return_order(merchant, fc["id"], [product])
    m, a = merchant.headers, api.admin
    return [
        ("post", "/returns", m),
        ("patch", f"/returns/{order['id']}", m),
        ("post", "/products", m),
        ("patch", f"/products/{product['id']}", m),
        ("put", f"/products/{product['id']}/return-preferences", m),
        ("post", "/products/return-preferences/bulk", m),
        ("post", "/admin/merchants", a),
        ("post", "/admin/fulfillment-centers", a),
        ("post", "/admin/operators", a),
        ("post", "/admin/users", a),
        ("post", "/admin/integration-tokens", a),
    ]


def test_json_that_is_not_an_object_is_4xx_on_every_write_endpoint(api: Api) -> None:
    for method, path, headers in write_endpoints(api):
        for raw in (b"[]", b"[1, 2]", b'"text"', b"42", b"true", b"null"):
            response = api.client.request(
                method, V1 + path, content=raw, headers={**headers, "Content-Type": "application/json"}
            )
            assert response.status_code in (400, 422), (method, path, raw, response.text)
            assert_envelope(response, response.status_code)


def test_malformed_json_is_400_on_every_write_endpoint(api: Api) -> None:
    for method, path, headers in write_endpoints(api):
        for raw in (b"{", b'{"a": }', b"\xff\xfe", b"{'single': 1}"):
            response = api.client.request(
                method, V1 + path, content=raw, headers={**headers, "Content-Type": "application/json"}
            )
            assert_error(response, 400, "malformed_json")
            assert_envelope(response, 400)


def test_a_missing_body_is_400(api: Api) -> None:
    merchant = api.merchant()
    response = api.client.post(f"{V1}/returns", headers={**merchant.headers, "Content-Type": "application/json"})
    assert_envelope(response, 400, "malformed_body")


def test_unknown_route_and_wrong_method_use_the_envelope(api: Api) -> None:
    merchant = api.merchant()
    assert_envelope(api.client.get(f"{V1}/no-such-thing", headers=merchant.headers), 404, "not_found")
    assert_envelope(api.client.get("/api/nowhere"), 404, "not_found")  # other paths are pages: tests/web
    response = api.client.delete(f"{V1}/returns", headers=merchant.headers)
    assert_envelope(response, 405, "method_not_allowed")
    assert response.headers["allow"]


def test_framework_validation_errors_have_field_details(api: Api) -> None:
    merchant, fc, _ = api.setup()
    body = {
        "reference_id": "RMA-FIELDS-1",
        "fulfillment_center_id": fc["id"],
        "inventory": [{"sku": "X", "quantity": "two"}],
    }
    error = assert_envelope(
        api.client.post(f"{V1}/returns", json=body, headers=merchant.headers), 422, "validation_error"
    )
    assert [d["field"] for d in error["details"]] == ["inventory[0].quantity"]
    error = assert_envelope(api.client.get(f"{V1}/returns?limit=0", headers=merchant.headers), 422, "validation_error")
    assert error["details"][0]["field"] == "limit"


def test_nul_characters_are_refused_not_stored(api: Api) -> None:
    merchant = api.merchant()
    response = api.client.post(f"{V1}/products", json={"sku": "A\u0000B", "name": "Mug"}, headers=merchant.headers)
    assert_envelope(response, 422, "validation_error")
    for path in ("/products?sku=%00", "/returns?q=a%00b", "/returns/ret%00x", "/products/prd%00x"):
        assert_envelope(api.client.get(V1 + path, headers=merchant.headers), 422, "validation_error")
    assert api.client.get(f"{V1}/products", headers=merchant.headers).json()["items"] == []


def test_a_lone_surrogate_is_refused(api: Api) -> None:
    merchant = api.merchant()
    raw = b'{"sku": "A\\ud800", "name": "Mug"}'
    response = api.client.post(
        f"{V1}/products", content=raw, headers={**merchant.headers, "Content-Type": "application/json"}
    )
    assert_envelope(response, 422, "validation_error")


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [("get", "/returns", 401), ("post", "/admin/merchants", 403), ("get", "/returns/ret_x", 404)],
)
def test_auth_and_not_found_errors_use_the_envelope(api: Api, method: str, path: str, status: int) -> None:
    merchant = api.merchant()
    headers = {} if status == 401 else merchant.headers
    assert_envelope(api.client.request(method, V1 + path, json={"name": "x"}, headers=headers), status)


def test_an_unexpected_error_is_a_500_in_the_envelope(settings: Any, session_factory: Any, clock: Any) -> None:
    app = create_app(settings, session_factory, clock)  # its own app: this test adds a route

    def broken() -> None:
        raise RuntimeError("boom")

    app.add_api_route("/api/v1/test-only/broken", broken, methods=["GET"])
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/api/v1/test-only/broken")
    error = assert_envelope(response, 500, "internal_error")
    assert "boom" not in error["message"]


def test_returns_carry_an_etag_that_changes_with_the_version(api: Api) -> None:
    merchant, fc, _ = api.setup()
    created = api.client.post(
        f"{V1}/returns",
        json={
            "reference_id": "RMA-ETAG-001",
            "fulfillment_center_id": fc["id"],
            "inventory": [{"product_id": api.product(merchant)["id"], "quantity": 1}],
        },
        headers=merchant.headers,
    )
    assert created.headers["etag"] == '"1"'
    url = f"{V1}/returns/{created.json()['id']}"
    assert api.client.get(url, headers=merchant.headers).headers["etag"] == '"1"'
    patched = api.client.patch(url, json={"customer_name": "Ann"}, headers=merchant.headers)
    assert patched.headers["etag"] == '"2"' and patched.json()["version"] == 2
    cancelled = api.client.post(f"{url}/cancel", headers={**merchant.headers, "If-Match": '"2"'})
    assert cancelled.headers["etag"] == '"3"'
    stale = api.client.patch(url, json={"customer_name": "Bo"}, headers={**merchant.headers, "If-Match": '"2"'})
    assert_envelope(stale, 412, "precondition_failed")
    assert api.client.get(url, headers=merchant.headers).json()["customer_name"] == "Ann"


def test_a_read_without_change_keeps_the_etag(api: Api) -> None:
    merchant, fc, operator = api.setup()
    order = api.return_order(merchant, fc["id"])
    url = f"{V1}/returns/{order['id']}"
    tags = {api.client.get(url, headers=h).headers["etag"] for h in (merchant.headers, operator.headers)}
    assert tags == {f'"{order["version"]}"'}
