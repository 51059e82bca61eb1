"""The database goes away: requests answer 503 database_unavailable with Retry-After (nothing changed),
pooled connections are re-validated, and the server recovers without a restart."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.pool import NullPool

from boomerang.adapters.db import make_engine, make_session_factory
from tests.support.builders import Api
from tests.support.postgres import wait_for_lock_waiters

# A live server, other processes or connections that must meet.
pytestmark = pytest.mark.several_connections

V1 = "/api/v1"


def assert_unavailable(response: Any) -> None:
    assert response.status_code == 503, response.text
    assert response.json()["error"]["code"] == "database_unavailable"
    assert int(response.headers["retry-after"]) > 0


def unreachable_engine(db_kind: str, tmp_path: Path) -> Engine:
    if db_kind == "sqlite":
        return make_engine(f"sqlite:///{tmp_path}")  # a directory: "unable to open database file"
    return make_engine("postgresql+psycopg://postgres@127.0.0.1:1/nowhere", pool_pre_ping=False)


def test_an_unreachable_database_is_503_on_the_api_and_the_shipbob_mount(
    app: FastAPI, api: Api, db_kind: str, tmp_path: Path
) -> None:
    merchant = api.merchant()
    working, working_uows = app.state.session_factory, app.state.uow_factory
    app.state.session_factory = make_session_factory(unreachable_engine(db_kind, tmp_path))
    app.state.uow_factory = working_uows.with_session_factory(app.state.session_factory)
    try:
        assert_unavailable(api.client.get(f"{V1}/products", headers=merchant.headers))
        assert_unavailable(api.client.post(f"{V1}/products", json={"sku": "X", "name": "Y"}, headers=merchant.headers))
        shipbob = api.client.get("/compat/shipbob/2026-01/return", headers=merchant.headers)
        assert shipbob.status_code == 503 and shipbob.json()["status"] == 503
        assert int(shipbob.headers["retry-after"]) > 0
    finally:
        app.state.session_factory, app.state.uow_factory = working, working_uows
    assert api.client.get(f"{V1}/products", headers=merchant.headers).status_code == 200


def backends(conn: Connection, where: str) -> list[int]:
    query = f"SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() {where}"
    return [int(pid) for pid in conn.execute(text(query)).scalars()]


def terminate(conn: Connection, pids: list[int]) -> None:
    for pid in pids:
        conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})


@pytest.fixture
def outsider(db_kind: str, engine: Engine) -> Iterator[Engine]:
    """Connections of the test's own, outside the application's pool."""
    if db_kind != "postgres":
        pytest.skip("pg_terminate_backend is PostgreSQL's")
    own = create_engine(engine.url, poolclass=NullPool)
    yield own
    own.dispose()


def test_a_connection_killed_in_the_middle_of_a_request_is_503_and_nothing_changes(api: Api, outsider: Engine) -> None:
    merchant = api.merchant()
    product = api.product(merchant, name="Before")
    answers: list[Any] = []
    with outsider.connect() as locker, outsider.connect() as killer:
        killer.execution_options(isolation_level="AUTOCOMMIT")
        locker.execute(text("SELECT id FROM products WHERE id = :id FOR UPDATE"), {"id": product["id"]})
        patch = threading.Thread(
            target=lambda: answers.append(
                api.client.patch(f"{V1}/products/{product['id']}", json={"name": "After"}, headers=merchant.headers)
            )
        )
        patch.start()
        terminate(killer, wait_for_lock_waiters(killer, who="the request"))
        patch.join(timeout=30)
        locker.rollback()
    assert_unavailable(answers[0])
    after = api.client.get(f"{V1}/products/{product['id']}", headers=merchant.headers)
    assert after.status_code == 200 and after.json()["name"] == "Before"
    retried = api.client.patch(f"{V1}/products/{product['id']}", json={"name": "After"}, headers=merchant.headers)
    assert retried.status_code == 200 and retried.json()["name"] == "After"


def test_pooled_connections_killed_between_requests_are_replaced_unnoticed(api: Api, outsider: Engine) -> None:
    merchant = api.merchant()
    for _ in range(3):
        assert api.client.get(f"{V1}/products", headers=merchant.headers).status_code == 200
    with outsider.connect() as killer:
        killer.execution_options(isolation_level="AUTOCOMMIT")
        idle = backends(killer, "AND state = 'idle'")
        assert idle, "the application's pool holds no idle connection to kill"
        terminate(killer, idle)
    for _ in range(5):
        assert api.client.get(f"{V1}/products", headers=merchant.headers).status_code == 200
