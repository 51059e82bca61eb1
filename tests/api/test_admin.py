"""Admin API: merchants and keys, fulfillment centers, operators, dashboard users, integration tokens."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine, select

from boomerang.adapters.tables import core
from tests.errors import assert_error
from tests.support.builders import Api, bearer

V1 = "/api/v1"


def test_creating_a_merchant_returns_its_first_api_key_once(api: Api) -> None:
    response = api.client.post(f"{V1}/admin/merchants", json={"name": "Acme"}, headers=api.admin)
    assert response.status_code == 201
    body = response.json()
    assert body["id"].startswith("mch_") and body["name"] == "Acme" and body["api_key"]
    assert api.client.get(f"{V1}/products", headers=bearer(body["api_key"])).status_code == 200
    listed = api.client.get(f"{V1}/admin/merchants", headers=api.admin).json()["items"]
    assert listed == [{"id": body["id"], "name": "Acme", "return_count": 0}]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": 5}, "name"),
        ({"name": "x" * 201}, "name"),
    ],
)
def test_a_merchant_needs_a_name(api: Api, payload: dict[str, Any], field: str) -> None:
    response = api.client.post(f"{V1}/admin/merchants", json=payload, headers=api.admin)
    assert_error(response, 422, "validation_error", field)


def test_merchants_are_listed_by_return_count_largest_first_and_paginated(api: Api) -> None:
    fc = api.fulfillment_center()
    counts = {"None": 0, "Two": 2, "Three": 3, "One": 1}
    for name, count in counts.items():
        merchant = api.merchant(name)
        product = api.product(merchant)
        for _ in range(count):
            api.return_order(merchant, fc["id"], [product])
    seen: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        page = api.client.get(f"{V1}/admin/merchants", params=params, headers=api.admin).json()
        seen += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert [(m["name"], m["return_count"]) for m in seen] == [("Three", 3), ("Two", 2), ("One", 1), ("None", 0)]


@pytest.mark.parametrize("cursor", ["abc", "-1", "%%%", "OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5"])
def test_a_bad_merchants_cursor_is_422(api: Api, cursor: str) -> None:
    response = api.client.get(f"{V1}/admin/merchants", params={"cursor": cursor}, headers=api.admin)
    assert_error(response, 422, "invalid_cursor", "cursor")


def test_api_key_for_an_unknown_merchant_is_404(api: Api) -> None:
    response = api.client.post(f"{V1}/admin/merchants/mch_nope/api-keys", headers=api.admin)
    assert_error(response, 404, "merchant_not_found")


def test_fulfillment_center_is_created_with_an_iso_country(api: Api) -> None:
    response = api.client.post(
        f"{V1}/admin/fulfillment-centers", json={"name": "Toronto", "country": "CA"}, headers=api.admin
    )
    assert response.status_code == 201
    body = response.json()
    assert body == {"id": body["id"], "name": "Toronto", "country": "CA"}


@pytest.mark.parametrize("country", ["ZZ", "XX", "USA", "U", "", "us", 12])
def test_fulfillment_center_country_must_be_iso_alpha_2(api: Api, country: Any) -> None:
    response = api.client.post(
        f"{V1}/admin/fulfillment-centers", json={"name": "Somewhere", "country": country}, headers=api.admin
    )
    assert_error(response, 422, "validation_error", "country")


def test_operator_gets_a_token_for_its_fulfillment_centers(api: Api) -> None:
    fc = api.fulfillment_center()
    response = api.client.post(
        f"{V1}/admin/operators", json={"name": "Dock A", "fulfillment_center_ids": [fc["id"]]}, headers=api.admin
    )
    assert response.status_code == 201
    body = response.json()
    assert body["id"].startswith("op_") and body["name"] == "Dock A" and body["token"]
    assert api.client.get(f"{V1}/returns", headers=bearer(body["token"])).status_code == 200


@pytest.mark.parametrize(
    ("fc_ids", "field"),
    [([], "fulfillment_center_ids"), (["fc_unknown"], "fulfillment_center_ids[0]"), ("fc_x", "fulfillment_center_ids")],
)
def test_operator_needs_known_fulfillment_centers(api: Api, fc_ids: Any, field: str) -> None:
    response = api.client.post(
        f"{V1}/admin/operators", json={"name": "Dock", "fulfillment_center_ids": fc_ids}, headers=api.admin
    )
    assert_error(response, 422, "validation_error", field)


def test_dashboard_users_are_created_with_argon2_hashed_passwords(api: Api, engine: Engine) -> None:
    merchant = api.merchant()
    fc = api.fulfillment_center()
    merchant_user = {
        "email": "Ann@Example.com",
        "password": "correct horse",
        "role": "Merchant",
        "merchant_id": merchant.id,
    }
    response = api.client.post(f"{V1}/admin/users", json=merchant_user, headers=api.admin)
    assert response.status_code == 201
    assert response.json()["email"] == "ann@example.com"
    assert response.json()["role"] == "Merchant"
    operator_user = {"email": "bo@example.com", "password": "battery staple", "role": "Operator"}
    response = api.client.post(
        f"{V1}/admin/users", json={**operator_user, "fulfillment_center_ids": [fc["id"]]}, headers=api.admin
    )
    assert response.status_code == 201
    assert response.json()["fulfillment_center_ids"] == [fc["id"]]
    with engine.connect() as conn:
        hashes = conn.execute(select(core.users.c.password_hash)).scalars().all()
    assert len(hashes) == 2 and all(h.startswith("$argon2") for h in hashes)
    assert not any("correct horse" in h for h in hashes)


def test_a_second_user_with_the_same_email_is_409(api: Api) -> None:
    merchant = api.merchant()
    user = {"email": "ann@example.com", "password": "correct horse", "role": "Merchant", "merchant_id": merchant.id}
    assert api.client.post(f"{V1}/admin/users", json=user, headers=api.admin).status_code == 201
    again = {**user, "email": "ANN@example.com"}
    assert_error(api.client.post(f"{V1}/admin/users", json=again, headers=api.admin), 409, "duplicate_email")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"password": "short"}, "password"),
        ({"role": "Admin"}, "role"),
        ({"merchant_id": None}, "merchant_id"),
        ({"merchant_id": "mch_unknown"}, "merchant_id"),
        ({"role": "Operator", "fulfillment_center_ids": []}, "fulfillment_center_ids"),
        ({"role": "Operator", "fulfillment_center_ids": ["fc_unknown"]}, "fulfillment_center_ids[0]"),
    ],
)
def test_bad_users_are_422_by_field(api: Api, changes: dict[str, Any], field: str) -> None:
    merchant = api.merchant()
    user = {"email": "ann@example.com", "password": "correct horse", "role": "Merchant", "merchant_id": merchant.id}
    response = api.client.post(f"{V1}/admin/users", json={**user, **changes}, headers=api.admin)
    assert_error(response, 422, "validation_error", field)


def test_integration_token_is_issued_once(api: Api) -> None:
    response = api.client.post(f"{V1}/admin/integration-tokens", json={"name": "carrier"}, headers=api.admin)
    assert response.status_code == 201
    token = response.json()["token"]
    assert token
    assert api.client.get(f"{V1}/fulfillment-centers", headers=bearer(token)).status_code == 200
    response = api.client.post(f"{V1}/admin/integration-tokens", json={}, headers=api.admin)
    assert_error(response, 422, "validation_error", "name")


def test_fulfillment_centers_are_listed_with_country(api: Api) -> None:
    us, de = api.fulfillment_center("US"), api.fulfillment_center("DE")
    body = api.client.get(f"{V1}/fulfillment-centers", headers=api.admin).json()
    assert body["next_cursor"] is None
    assert {(fc["id"], fc["country"]) for fc in body["items"]} == {(us["id"], "US"), (de["id"], "DE")}
