"""Bearer tokens of every role: 401 without a valid one, 403 for the wrong role, secrets stored hashed."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from boomerang.adapters.tables import core
from boomerang.bootstrap import make_uow_factory
from boomerang.services import admin
from boomerang.services.auth import SYSTEM
from tests.errors import assert_error
from tests.support.builders import Api, bearer

V1 = "/api/v1"


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": ""},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer "},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"Authorization": "Bearer not-a-token"},
        {"Authorization": "Bearer test-admin-token-but-longer"},
    ],
)
def test_missing_or_bad_credentials_are_401_with_the_envelope(client: TestClient, headers: dict[str, str]) -> None:
    response = client.get(f"{V1}/returns", headers=headers)
    assert_error(response, 401, "unauthenticated")
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/products"),
        ("post", "/products"),
        ("get", "/returns"),
        ("post", "/returns"),
        ("get", "/admin/merchants"),
        ("post", "/admin/merchants"),
        ("get", "/fulfillment-centers"),
        ("post", "/products/return-preferences/bulk"),
        ("get", "/products/return-preferences/export"),
    ],
)
def test_every_endpoint_needs_a_credential(client: TestClient, method: str, path: str) -> None:
    assert_error(client.request(method, V1 + path), 401, "unauthenticated")


def test_the_bearer_scheme_is_case_insensitive(api: Api) -> None:
    merchant = api.merchant()
    response = api.client.get(f"{V1}/returns", headers={"Authorization": f"bearer {merchant.api_key}"})
    assert response.status_code == 200


def test_merchant_key_cannot_use_admin_endpoints(api: Api) -> None:
    merchant = api.merchant()
    for method, path in (
        ("get", "/admin/merchants"),
        ("post", "/admin/merchants"),
        ("post", f"/admin/merchants/{merchant.id}/api-keys"),
        ("post", "/admin/fulfillment-centers"),
        ("post", "/admin/operators"),
        ("post", "/admin/users"),
        ("post", "/admin/integration-tokens"),
    ):
        response = api.client.request(method, V1 + path, json={"name": "x"}, headers=merchant.headers)
        assert_error(response, 403, "forbidden")


def test_operator_token_cannot_create_or_change_merchant_resources(api: Api) -> None:
    merchant, fc, operator = api.setup()
    product = api.product(merchant)
    order = api.return_order(merchant, fc["id"], [product])
    for method, path in (
        ("post", "/products"),
        ("get", "/products"),
        ("get", f"/products/{product['id']}"),
        ("patch", f"/products/{product['id']}"),
        ("put", f"/products/{product['id']}/return-preferences"),
        ("post", "/returns"),
        ("patch", f"/returns/{order['id']}"),
        ("post", f"/returns/{order['id']}/cancel"),
        ("get", "/admin/merchants"),
    ):
        response = api.client.request(method, V1 + path, json={}, headers=operator.headers)
        assert_error(response, 403, "forbidden")


def test_admin_token_is_not_a_merchant(api: Api) -> None:
    assert_error(api.client.get(f"{V1}/products", headers=api.admin), 403, "forbidden")
    assert_error(api.client.post(f"{V1}/returns", json={}, headers=api.admin), 403, "forbidden")


def test_integration_token_only_reads_fulfillment_centers_here(api: Api) -> None:
    token = api.integration_token()
    assert api.client.get(f"{V1}/fulfillment-centers", headers=token).status_code == 200
    assert_error(api.client.get(f"{V1}/returns", headers=token), 403, "forbidden")
    assert_error(api.client.get(f"{V1}/products", headers=token), 403, "forbidden")
    assert_error(api.client.get(f"{V1}/admin/merchants", headers=token), 403, "forbidden")


def test_every_credential_lists_fulfillment_centers(api: Api) -> None:
    merchant, fc, operator = api.setup()
    for headers in (api.admin, merchant.headers, operator.headers, api.integration_token()):
        body = api.client.get(f"{V1}/fulfillment-centers", headers=headers).json()
        assert {"id": fc["id"], "name": fc["name"], "country": "US"} in body["items"]


def test_operator_reads_returns_at_its_fulfillment_centers(api: Api) -> None:
    merchant, fc, operator = api.setup()
    order = api.return_order(merchant, fc["id"])
    assert api.client.get(f"{V1}/returns/{order['id']}", headers=operator.headers).status_code == 200
    assert api.client.get(f"{V1}/returns", headers=operator.headers).json()["items"][0]["id"] == order["id"]


def test_admin_token_created_from_the_shell_works_like_the_env_token(api: Api, session_factory: Any) -> None:
    with make_uow_factory(session_factory)(SYSTEM) as uow:
        token = admin.create_admin_token(uow, name="ops laptop").token
    response = api.client.post(f"{V1}/admin/merchants", json={"name": "Via token"}, headers=bearer(token))
    assert response.status_code == 201


def test_secrets_are_stored_only_as_hashes(api: Api, engine: Engine) -> None:
    merchant, _fc, operator = api.setup()
    with engine.connect() as conn:
        stored = conn.execute(select(core.credentials)).all()
    flat = " ".join(str(value) for row in stored for value in row)
    assert merchant.api_key not in flat
    assert operator.token not in flat
    assert all(len(row.token_hash) == 64 for row in stored)


def test_every_issued_api_key_acts_for_its_merchant(api: Api) -> None:
    merchant = api.merchant()
    response = api.client.post(f"{V1}/admin/merchants/{merchant.id}/api-keys", headers=api.admin)
    assert response.status_code == 201
    second = bearer(response.json()["api_key"])
    product = api.product(merchant)
    assert api.client.get(f"{V1}/products/{product['id']}", headers=second).status_code == 200
    assert api.client.get(f"{V1}/products/{product['id']}", headers=merchant.headers).status_code == 200
