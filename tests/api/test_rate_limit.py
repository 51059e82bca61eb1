"""Per-credential rate limit: over BOOMERANG_RATE_LIMIT requests a minute -> 429 with Retry-After."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from boomerang.config import Settings
from boomerang.entrypoints.http.app import create_app
from boomerang.entrypoints.http.middleware import RateLimitMiddleware
from tests.conftest import ADMIN_TOKEN
from tests.errors import assert_error
from tests.support.builders import Api, bearer

V1 = "/api/v1"
LIMIT = 3


class WallClock:
    """Seconds since the epoch, moved by hand: 15 s into a one-minute window."""

    def __init__(self) -> None:
        self.now = 1_800_000_015.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def wall_clock() -> WallClock:
    return WallClock()


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The usual test settings with a tiny limit, per credential and per client address."""
    return settings.model_copy(update={"rate_limit": LIMIT, "anonymous_rate_limit": LIMIT})


@pytest.fixture
def app(app: FastAPI, wall_clock: WallClock) -> FastAPI:
    for middleware in app.user_middleware:
        if middleware.cls is RateLimitMiddleware:
            middleware.kwargs["now"] = wall_clock
    return app


def products(api: Api, headers: dict[str, str]) -> Any:
    return api.client.get(f"{V1}/products", headers=headers)


def test_the_request_over_the_limit_is_429_with_retry_after(api: Api) -> None:
    merchant = api.merchant()
    statuses = [products(api, merchant.headers).status_code for _ in range(LIMIT + 2)]
    assert statuses == [200] * LIMIT + [429, 429]
    response = products(api, merchant.headers)
    assert response.json()["error"]["code"] == "rate_limited"
    assert response.json()["error"]["message"]
    assert response.headers["retry-after"] == "45"


def test_the_next_minute_allows_requests_again(api: Api, wall_clock: WallClock) -> None:
    merchant = api.merchant()
    for _ in range(LIMIT):
        products(api, merchant.headers)
    assert_error(products(api, merchant.headers), 429, "rate_limited")
    wall_clock.now += 45
    assert products(api, merchant.headers).status_code == 200


def test_the_limit_is_per_credential(api: Api) -> None:
    first, second = api.merchant(), api.merchant()
    for _ in range(LIMIT):
        assert products(api, first.headers).status_code == 200
    assert_error(products(api, first.headers), 429, "rate_limited")
    assert products(api, second.headers).status_code == 200


def test_a_refused_write_changes_nothing(api: Api) -> None:
    merchant = api.merchant()
    spare = bearer(api.client.post(f"{V1}/admin/merchants/{merchant.id}/api-keys", headers=api.admin).json()["api_key"])
    for i in range(LIMIT):
        body = {"sku": f"RL-{i}", "name": "Mug"}
        assert api.client.post(f"{V1}/products", json=body, headers=merchant.headers).status_code == 201
    response = api.client.post(f"{V1}/products", json={"sku": "RL-9", "name": "Mug"}, headers=merchant.headers)
    assert_error(response, 429, "rate_limited")
    assert [p["sku"] for p in products(api, spare).json()["items"]] == ["RL-0", "RL-1", "RL-2"]


def test_zero_turns_the_limit_off(settings: Settings, session_factory: Any, clock: Any) -> None:
    unlimited = create_app(settings.model_copy(update={"rate_limit": 0}), session_factory, clock)
    with TestClient(unlimited) as client:
        api = Api(client, ADMIN_TOKEN)
        merchant = api.merchant()
        assert {products(api, merchant.headers).status_code for _ in range(LIMIT * 3)} == {200}


def test_respelling_the_authorization_header_gives_no_fresh_budget(api: Api) -> None:
    token = api.merchant().api_key
    spellings = [f"Bearer {token}", f"bearer {token}", f"BEARER  {token}", f"Bearer {token}  "]
    statuses = [products(api, {"Authorization": spelling}).status_code for spelling in spellings]
    assert statuses[:LIMIT] == [200] * LIMIT
    assert statuses[LIMIT:] == [429] * (len(spellings) - LIMIT)


def test_requests_without_a_valid_credential_count_on_the_client_address(api: Api) -> None:
    merchant = api.merchant()
    nobody = [{}, {"Authorization": "Bearer not-a-key"}, {"Authorization": "Bearer another-guess"}]
    statuses = [products(api, headers).status_code for headers in nobody]
    assert statuses == [401] * LIMIT
    assert_error(products(api, {"Authorization": "Bearer a-fresh-guess"}), 429, "rate_limited")
    assert products(api, merchant.headers).status_code == 200  # a credential keeps its own budget


def test_pages_before_sign_in_count_on_the_client_address_and_static_files_do_not(api: Api) -> None:
    for _ in range(LIMIT * 2):
        assert api.client.get("/static/css/app.css").status_code == 200
    assert [api.client.get("/login").status_code for _ in range(LIMIT)] == [200] * LIMIT
    refused = api.client.get("/login")
    assert refused.status_code == 429
    assert refused.headers["content-type"].startswith("text/html") and int(refused.headers["retry-after"]) >= 1
