"""POST/GET/DELETE /webhooks and the delivery log: the contract of API.md "Webhooks (merchant)"."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from boomerang.config import Settings
from boomerang.entrypoints.http.app import create_app
from tests.conftest import ADMIN_TOKEN
from tests.errors import assert_error
from tests.support.builders import Api, FrozenClock

HOOK_URL = "https://erp.example.com/boomerang/webhooks"


def test_create_returns_the_secret_once(api: Api, client: TestClient) -> None:
    merchant = api.merchant()
    response = client.post(
        "/api/v1/webhooks",
        json={"url": HOOK_URL, "topics": ["return.completed", "return.created"]},
        headers=merchant.headers,
    )
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["secret"].startswith("whsec_")
    assert len(base64.b64decode(created["secret"].removeprefix("whsec_"))) == 32
    assert created["topics"] == ["return.created", "return.completed"]
    assert created["status"] == "Active"
    listed = client.get("/api/v1/webhooks", headers=merchant.headers).json()
    assert [w["id"] for w in listed["items"]] == [created["id"]]
    assert "secret" not in listed["items"][0]
    assert listed["next_cursor"] is None


@pytest.mark.parametrize(
    "body",
    [
        {"url": HOOK_URL, "topics": []},
        {"url": HOOK_URL, "topics": ["return.exploded"]},
        {"url": HOOK_URL},
        {"url": "ftp://erp.example.com/hooks", "topics": ["return.created"]},
        {"url": "not a url at all", "topics": ["return.created"]},
    ],
)
def test_invalid_subscriptions_are_422(api: Api, client: TestClient, body: dict[str, object]) -> None:
    merchant = api.merchant()
    response = client.post("/api/v1/webhooks", json=body, headers=merchant.headers)
    assert response.status_code == 422, response.text


def test_delete_stops_the_subscription_and_hides_it(api: Api, client: TestClient) -> None:
    merchant = api.merchant()
    hook = client.post(
        "/api/v1/webhooks", json={"url": HOOK_URL, "topics": ["return.created"]}, headers=merchant.headers
    ).json()
    assert client.delete(f"/api/v1/webhooks/{hook['id']}", headers=merchant.headers).status_code == 204
    assert client.get("/api/v1/webhooks", headers=merchant.headers).json()["items"] == []
    assert_error(client.delete(f"/api/v1/webhooks/{hook['id']}", headers=merchant.headers), 404, "webhook_not_found")
    deliveries = client.get(f"/api/v1/webhooks/{hook['id']}/deliveries", headers=merchant.headers)
    assert_error(deliveries, 404, "webhook_not_found")


def test_another_merchants_webhook_is_not_found(api: Api, client: TestClient) -> None:
    owner, stranger = api.merchant(), api.merchant()
    hook = client.post(
        "/api/v1/webhooks", json={"url": HOOK_URL, "topics": ["return.created"]}, headers=owner.headers
    ).json()
    deliveries = client.get(f"/api/v1/webhooks/{hook['id']}/deliveries", headers=stranger.headers)
    assert_error(deliveries, 404, "webhook_not_found")
    assert_error(client.delete(f"/api/v1/webhooks/{hook['id']}", headers=stranger.headers), 404, "webhook_not_found")
    assert client.get("/api/v1/webhooks", headers=stranger.headers).json()["items"] == []


def test_operators_cannot_manage_webhooks(api: Api, client: TestClient) -> None:
    _, _, operator = api.setup()
    response = client.post(
        "/api/v1/webhooks", json={"url": HOOK_URL, "topics": ["return.created"]}, headers=operator.headers
    )
    assert_error(response, 403, "forbidden")


def test_webhook_list_is_paginated(api: Api, client: TestClient) -> None:
    merchant = api.merchant()
    for _ in range(3):
        client.post("/api/v1/webhooks", json={"url": HOOK_URL, "topics": ["return.created"]}, headers=merchant.headers)
    first = client.get("/api/v1/webhooks", params={"limit": 2}, headers=merchant.headers).json()
    second = client.get(
        "/api/v1/webhooks", params={"limit": 2, "cursor": first["next_cursor"]}, headers=merchant.headers
    ).json()
    assert len(first["items"]) == 2 and len(second["items"]) == 1 and second["next_cursor"] is None
    zero = client.get("/api/v1/webhooks", params={"limit": 0}, headers=merchant.headers)
    assert_error(zero, 422, "validation_error", "limit")


@pytest.fixture
def strict_client(
    tmp_path: Path, settings: Settings, session_factory: sessionmaker[Session], clock: FrozenClock
) -> Iterator[TestClient]:
    """The production default: webhooks may not target private addresses."""
    strict = settings.model_copy(update={"webhook_allow_private": False})
    with TestClient(create_app(strict, session_factory, clock)) as test_client:
        yield test_client


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8080/hook", "http://localhost/hook", "http://10.0.0.8/hook", "http://169.254.169.254/latest"],
)
def test_private_targets_are_refused_unless_allowed(strict_client: TestClient, url: str) -> None:
    merchant = Api(strict_client, ADMIN_TOKEN).merchant()
    response = strict_client.post(
        "/api/v1/webhooks", json={"url": url, "topics": ["return.created"]}, headers=merchant.headers
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "unsafe_webhook_url"
