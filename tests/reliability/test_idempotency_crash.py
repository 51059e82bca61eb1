"""Idempotency across crashes: the key's record commits in the same transaction as the request's
changes, so a request that committed always replays and one that did not leaves nothing behind."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, select, text
from sqlalchemy.pool import NullPool

from boomerang.adapters.tables.core import idempotency_keys
from boomerang.entrypoints.http.app import create_app
from boomerang.entrypoints.http.deps import MerchantUoW
from boomerang.schemas.products import ProductRead
from boomerang.services import products
from boomerang.services.products import ProductFields
from tests.support.builders import Api
from tests.support.live_server import LiveServer
from tests.support.postgres import wait_for_lock_waiters

# A live server, other processes or connections that must meet.
pytestmark = pytest.mark.several_connections


def count(engine: Engine, table: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


class CrashAfterCommit(RuntimeError):
    """Stands for the process dying between the use case's commit and the response."""


def test_a_request_that_fails_after_its_commit_leaves_nothing_and_its_retry_runs_once(
    settings: Any, session_factory: Any, clock: Any, api: Api, engine: Engine
) -> None:
    merchant = api.merchant()
    app: FastAPI = create_app(settings, session_factory, clock)  # its own app: this test adds a route
    crash = {"next": True}

    def create_then_crash(uow: MerchantUoW) -> ProductRead:
        with uow:
            product = products.create_product(uow, details=ProductFields(sku="CRASH-1", name="Mug"), preferences=None)
            created = ProductRead.from_domain(product)
        if crash["next"]:
            raise CrashAfterCommit
        return created

    app.add_api_route("/test-only/products", create_then_crash, methods=["POST"], status_code=201)
    headers = {**merchant.headers, "Idempotency-Key": "crash-1"}
    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.post("/test-only/products", json={}, headers=headers).status_code == 500
        assert count(engine, "products") == 0
        assert count(engine, "idempotency_keys") == 0
        crash["next"] = False
        first = client.post("/test-only/products", json={}, headers=headers)
        replay = client.post("/test-only/products", json={}, headers=headers)
    assert first.status_code == replay.status_code == 201
    assert replay.json() == first.json() and replay.headers["idempotent-replayed"] == "true"
    assert count(engine, "products") == 1


def test_the_stored_response_and_the_change_are_one_commit(api: Api, engine: Engine) -> None:
    merchant = api.merchant()
    headers = {**merchant.headers, "Idempotency-Key": "atomic-1"}
    created = api.client.post("/api/v1/products", json={"sku": "ATOM-1", "name": "Mug"}, headers=headers)
    assert created.status_code == 201
    table = idempotency_keys  # response_body reads back decrypted (it is stored encrypted: issue 22)
    with engine.connect() as conn:
        row = conn.execute(select(table.c.state, table.c.response_status, table.c.response_body)).one()
    assert (row.state, row.response_status) == ("Done", 201)
    assert created.json()["id"] in row.response_body


@pytest.fixture
def outsider(db_kind: str, engine: Engine) -> Iterator[Engine]:
    if db_kind != "postgres":
        pytest.skip("the lock that holds the server at the right moment is PostgreSQL's LOCK TABLE")
    own = create_engine(engine.url, poolclass=NullPool)
    yield own
    own.dispose()


def test_a_server_killed_before_its_commit_leaves_no_key_and_the_retry_creates_one_return(
    engine: Engine, outsider: Engine, tmp_path: Path
) -> None:
    url = engine.url.render_as_string(hide_password=False)
    server = LiveServer(url, tmp_path / "first").start()
    with server.client() as client:
        api = Api(client, "unused")  # type: ignore[arg-type]
        api.admin = server.admin
        merchant, fc, _ = api.setup()
        product = api.product(merchant)
    body = {
        "reference_id": "RMA-CRASH-1",
        "fulfillment_center_id": fc["id"],
        "inventory": [{"product_id": product["id"], "quantity": 1}],
    }
    headers = {**merchant.headers, "Idempotency-Key": "crash-return-1"}
    outcome: list[Any] = []

    def post() -> None:
        try:
            outcome.append(httpx.post(f"{server.base_url}/api/v1/returns", json=body, headers=headers, timeout=60))
        except httpx.HTTPError as error:
            outcome.append(error)

    with outsider.connect() as locker:
        locker.execute(text("LOCK TABLE return_orders IN SHARE MODE"))  # the server's INSERT waits here
        request = threading.Thread(target=post)
        request.start()
        wait_for_lock_waiters(locker, who="the server")
        server.kill()
        locker.rollback()
    request.join(timeout=30)
    assert isinstance(outcome[0], httpx.HTTPError)  # the client never got an answer
    assert count(engine, "return_orders") == 0
    assert count(engine, "idempotency_keys") == 0  # no in-flight record outlives the crash

    restarted = LiveServer(url, tmp_path / "second").start()
    try:
        with restarted.client() as client:
            first = client.post("/api/v1/returns", json=body, headers=headers)
            again = client.post("/api/v1/returns", json=body, headers=headers)
    finally:
        restarted.stop()
    assert first.status_code == again.status_code == 201, first.text
    assert again.json()["id"] == first.json()["id"] and again.headers["idempotent-replayed"] == "true"
    assert count(engine, "return_orders") == 1
