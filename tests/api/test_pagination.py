"""Keyset pagination: every list is {items, next_cursor}; pages never repeat or skip rows, even during inserts."""

from __future__ import annotations

from typing import Any

import pytest

from tests.errors import assert_error
from tests.support.builders import Api, Merchant

V1 = "/api/v1"


def walk(api: Api, merchant: Merchant, path: str, limit: int, between_pages: Any = None) -> list[str]:
    ids: list[str] = []
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"limit": limit, **({"cursor": cursor} if cursor else {})}
        response = api.client.get(V1 + path, params=params, headers=merchant.headers)
        assert response.status_code == 200, response.text
        body = response.json()
        assert set(body) == {"items", "next_cursor"}
        assert len(body["items"]) <= limit
        ids += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            return ids
        if between_pages is not None:
            between_pages()


def test_returns_pages_have_no_duplicates_or_gaps_while_rows_are_inserted(api: Api) -> None:
    merchant, fc, _ = api.setup()
    product = api.product(merchant)
    existing = [api.return_order(merchant, fc["id"], [product])["id"] for _ in range(7)]
    inserted: list[str] = []

    def insert_one() -> None:
        inserted.append(api.return_order(merchant, fc["id"], [product])["id"])

    seen = walk(api, merchant, "/returns", limit=2, between_pages=insert_one)
    assert len(seen) == len(set(seen))
    assert seen == sorted(existing, reverse=True)
    assert inserted
    everything = walk(api, merchant, "/returns", limit=200)
    assert everything == sorted(existing + inserted, reverse=True)


def test_products_pages_have_no_duplicates_or_gaps_while_rows_are_inserted(api: Api) -> None:
    merchant = api.merchant()
    existing = [api.product(merchant)["id"] for _ in range(5)]
    inserted: list[str] = []

    def insert_one() -> None:
        inserted.append(api.product(merchant)["id"])

    seen = walk(api, merchant, "/products", limit=2, between_pages=insert_one)
    assert len(seen) == len(set(seen))
    assert set(existing) <= set(seen)
    assert set(seen) <= set(existing + inserted)
    assert seen == sorted(seen)


@pytest.mark.parametrize("limit", [1, 3, 50])
def test_every_row_appears_once_whatever_the_page_size(api: Api, limit: int) -> None:
    merchant, fc, _ = api.setup()
    product = api.product(merchant)
    created = [api.return_order(merchant, fc["id"], [product])["id"] for _ in range(4)]
    assert walk(api, merchant, "/returns", limit=limit) == sorted(created, reverse=True)


def test_a_full_last_page_has_no_next_cursor(api: Api) -> None:
    merchant, fc, _ = api.setup()
    product = api.product(merchant)
    for _ in range(2):
        api.return_order(merchant, fc["id"], [product])
    body = api.client.get(f"{V1}/returns", params={"limit": 2}, headers=merchant.headers).json()
    assert len(body["items"]) == 2 and body["next_cursor"] is None


def test_default_page_size_is_50(api: Api) -> None:
    merchant = api.merchant()
    for i in range(51):
        api.client.post(f"{V1}/products", json={"sku": f"P-{i:03d}", "name": "x"}, headers=merchant.headers)
    body = api.client.get(f"{V1}/products", headers=merchant.headers).json()
    assert len(body["items"]) == 50 and body["next_cursor"]


@pytest.mark.parametrize("path", ["/returns", "/products", "/admin/merchants"])
@pytest.mark.parametrize("limit", ["0", "201", "-1", "abc", "1.5"])
def test_limit_outside_1_to_200_is_422(api: Api, path: str, limit: str) -> None:
    merchant = api.merchant()
    headers = api.admin if path.startswith("/admin") else merchant.headers
    response = api.client.get(V1 + path, params={"limit": limit}, headers=headers)
    assert_error(response, 422, "validation_error", "limit")
    assert response.json()["error"]["details"][0]["field"] == "limit"


@pytest.mark.parametrize("path", ["/returns", "/products"])
@pytest.mark.parametrize("cursor", ["garbage!", "", "x", "AAAA", "cmV0X2E\x1fYg"])
def test_a_cursor_this_api_did_not_issue_is_422(api: Api, path: str, cursor: str) -> None:
    merchant = api.merchant()
    response = api.client.get(V1 + path, params={"cursor": cursor or "=="}, headers=merchant.headers)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_cursor"


def test_limit_200_is_allowed(api: Api) -> None:
    merchant = api.merchant()
    assert api.client.get(f"{V1}/returns", params={"limit": 200}, headers=merchant.headers).status_code == 200
