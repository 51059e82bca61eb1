"""Idempotency-Key on POSTs: replay, reuse with another body, in flight, scoped per credential."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from boomerang.entrypoints.http.app import create_app
from tests.errors import assert_error
from tests.support.builders import Api, Merchant, post_at_once

V1 = "/api/v1"


def return_body(fc_id: str, product: dict[str, Any], reference_id: str = "RMA-IDEM-001") -> dict[str, Any]:
    return {
        "reference_id": reference_id,
        "fulfillment_center_id": fc_id,
        "inventory": [{"product_id": product["id"], "quantity": 1}],
    }


def count_returns(api: Api, merchant: Merchant) -> int:
    return len(api.client.get(f"{V1}/returns", headers=merchant.headers).json()["items"])


def test_same_key_and_body_replays_the_first_response(api: Api) -> None:
    merchant, fc, _ = api.setup()
    product = api.product(merchant)
    headers = {**merchant.headers, "Idempotency-Key": "create-1"}
    first = api.client.post(f"{V1}/returns", json=return_body(fc["id"], product), headers=headers)
    second = api.client.post(f"{V1}/returns", json=return_body(fc["id"], product), headers=headers)
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second.headers["etag"] == first.headers["etag"]
    assert second.headers.get("idempotent-replayed") == "true"
    assert count_returns(api, merchant) == 1


def test_an_error_response_is_replayed_too(api: Api) -> None:
    merchant, fc, _ = api.setup()
    product = api.product(merchant)
    api.return_order(merchant, fc["id"], [product], reference_id="RMA-IDEM-001")
    headers = {**merchant.headers, "Idempotency-Key": "dup-1"}
    first = api.client.post(f"{V1}/returns", json=return_body(fc["id"], product), headers=headers)
    second = api.client.post(f"{V1}/returns", json=return_body(fc["id"], product), headers=headers)
    assert_error(first, 409, "duplicate_reference_id")
    assert second.status_code == 409 and second.json() == first.json()


def test_same_key_with_a_different_body_is_422(api: Api) -> None:
    merchant, fc, _ = api.setup()
    product = api.product(merchant)
    headers = {**merchant.headers, "Idempotency-Key": "create-2"}
    assert api.client.post(f"{V1}/returns", json=return_body(fc["id"], product), headers=headers).status_code == 201
    other = return_body(fc["id"], product, reference_id="RMA-IDEM-002")
    response = api.client.post(f"{V1}/returns", json=other, headers=headers)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "idempotency_key_reused"
    assert count_returns(api, merchant) == 1


def test_keys_are_scoped_per_credential(api: Api) -> None:
    a, fc, _ = api.setup()
    b = api.merchant()
    body_a = return_body(fc["id"], api.product(a))
    body_b = return_body(fc["id"], api.product(b))
    first = api.client.post(f"{V1}/returns", json=body_a, headers={**a.headers, "Idempotency-Key": "shared"})
    second = api.client.post(f"{V1}/returns", json=body_b, headers={**b.headers, "Idempotency-Key": "shared"})
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] != second.json()["id"]
    assert second.headers.get("idempotent-replayed") is None


def test_without_a_key_each_post_runs(api: Api) -> None:
    merchant = api.merchant()
    body = {"sku": "NO-KEY-1", "name": "Mug"}
    assert api.client.post(f"{V1}/products", json=body, headers=merchant.headers).status_code == 201
    assert_error(api.client.post(f"{V1}/products", json=body, headers=merchant.headers), 409, "duplicate_sku")


def test_an_overlong_key_is_422(api: Api) -> None:
    merchant = api.merchant()
    headers = {**merchant.headers, "Idempotency-Key": "k" * 256}
    response = api.client.post(f"{V1}/products", json={"sku": "S", "name": "N"}, headers=headers)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"


def test_a_failed_authentication_does_not_burn_the_key(api: Api) -> None:
    merchant = api.merchant()
    key = {"Idempotency-Key": "after-401"}
    body = {"sku": "AUTH-1", "name": "Mug"}
    bad = api.client.post(f"{V1}/products", json=body, headers={"Authorization": "Bearer wrong", **key})
    assert_error(bad, 401, "unauthenticated")
    assert api.client.post(f"{V1}/products", json=body, headers={**merchant.headers, **key}).status_code == 201


@pytest.mark.several_connections
def test_a_second_request_while_the_first_runs_is_409_in_use(
    settings: Any, session_factory: Any, clock: Any, api: Api
) -> None:
    merchant = api.merchant()
    app = create_app(settings, session_factory, clock)  # its own app: this test adds a route
    started, release = threading.Event(), threading.Event()

    def slow_action() -> dict[str, str]:
        started.set()
        assert release.wait(timeout=30)
        return {"status": "done"}

    app.add_api_route("/test-only/slow", slow_action, methods=["POST"], status_code=201)
    headers = {**merchant.headers, "Idempotency-Key": "slow-1"}
    results: list[Any] = []

    def first_request() -> None:
        with TestClient(app) as own_client:
            results.append(own_client.post("/test-only/slow", json={"a": 1}, headers=headers))

    thread = threading.Thread(target=first_request)
    thread.start()
    try:
        assert started.wait(timeout=30)
        in_flight = TestClient(app).post("/test-only/slow", json={"a": 1}, headers=headers)
        assert in_flight.status_code == 409
        assert in_flight.json()["error"]["code"] == "idempotency_key_in_use"
        different = TestClient(app).post("/test-only/slow", json={"a": 2}, headers=headers)
        assert_error(different, 422, "idempotency_key_reused")
    finally:
        release.set()
        thread.join()
    assert results[0].status_code == 201
    replay = TestClient(app).post("/test-only/slow", json={"a": 1}, headers=headers)
    assert replay.status_code == 201 and replay.json() == {"status": "done"}


@pytest.mark.several_connections
def test_concurrent_posts_with_one_key_create_one_return(app: FastAPI, api: Api) -> None:
    merchant, fc, _ = api.setup()
    product = api.product(merchant)
    headers = {**merchant.headers, "Idempotency-Key": "race-1"}
    results = post_at_once(app, f"{V1}/returns", json=return_body(fc["id"], product), headers=headers)
    statuses = sorted(r.status_code for r in results)
    assert statuses in ([201, 201], [201, 409]), [r.text for r in results]
    assert count_returns(api, merchant) == 1


def test_keys_are_kept_a_day_and_purged_by_the_worker_later(
    api: Api, settings: Any, session_factory: Any, clock: Any
) -> None:
    from boomerang.entrypoints.worker import WorkerContext, purge_idempotency_keys

    merchant = api.merchant()
    headers = {**merchant.headers, "Idempotency-Key": "daily-1"}
    first = api.client.post(f"{V1}/products", json={"sku": "KEEP-1", "name": "Mug"}, headers=headers)
    assert first.status_code == 201
    context = WorkerContext(session_factory, settings, clock)
    clock.advance(hours=24)
    assert purge_idempotency_keys(context) == 0
    replay = api.client.post(f"{V1}/products", json={"sku": "KEEP-1", "name": "Mug"}, headers=headers)
    assert replay.status_code == 201 and replay.json() == first.json()
    clock.advance(hours=25)
    assert purge_idempotency_keys(context) == 1
    again = api.client.post(f"{V1}/products", json={"sku": "KEEP-1", "name": "Mug"}, headers=headers)
    assert_error(again, 409, "duplicate_sku")


def test_the_key_belongs_to_the_credential_not_to_the_spelling_of_its_header(api: Api) -> None:
    merchant, fc, _ = api.setup()
    product = api.product(merchant)
    spellings = [f"Bearer {merchant.api_key}", f"bearer  {merchant.api_key}", f"BEARER {merchant.api_key} "]
    answers = [
        api.client.post(
            f"{V1}/returns",
            json=return_body(fc["id"], product),
            headers={"Authorization": spelling, "Idempotency-Key": "spelled-1"},
        )
        for spelling in spellings
    ]
    assert [a.status_code for a in answers] == [201, 201, 201]
    assert [a.headers.get("idempotent-replayed") for a in answers] == [None, "true", "true"]
    assert count_returns(api, merchant) == 1
