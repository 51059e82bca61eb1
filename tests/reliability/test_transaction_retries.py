"""Serialization failures and deadlocks: the API runs the request again (at most 3 times) when nothing was
answered yet and nothing outside the database was done; after that, 503 with Retry-After as before.

PostgreSQL only: the conflicts are real ones, raised by the PostgreSQL server (a deadlock between the
request and a transaction of the test's own; a trigger that fails with SQLSTATE 40001)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.pool import NullPool

from tests.support.builders import Api, Merchant
from tests.support.postgres import wait_for_lock_waiters

# A live server, other processes or connections that must meet.
pytestmark = pytest.mark.several_connections

V1 = "/api/v1"
RETRY_LOGGER = "boomerang.entrypoints.http.retry"


@pytest.fixture
def outsider(db_kind: str, engine: Engine) -> Iterator[Engine]:
    """Connections of the test's own, outside the application's pool."""
    if db_kind != "postgres":
        pytest.skip("the conflicts are PostgreSQL's (SQLite writers queue on BEGIN IMMEDIATE)")
    own = create_engine(engine.url, poolclass=NullPool)
    yield own
    own.dispose()


def _adjustment(merchant: Merchant, product: dict[str, Any], fc_id: str) -> dict[str, Any]:
    return {
        "merchant_id": merchant.id,
        "product_id": product["id"],
        "fulfillment_center_id": fc_id,
        "bucket": "Sellable",
        "quantity": 5,
        "note": "cycle count",
    }


@pytest.mark.parametrize("idempotency_key", [None, "deadlock-1"])
def test_a_request_chosen_as_deadlock_victim_is_run_again_and_writes_once(
    api: Api, outsider: Engine, idempotency_key: str | None, caplog: pytest.LogCaptureFixture
) -> None:
    """The request locks the product row, then waits to insert its ledger entry (the test holds the ledger
    in SHARE mode); the test then asks for the product row: a real deadlock. PostgreSQL aborts the request
    (it waited first, so its deadlock check runs first); the middleware runs it again once the test's
    transaction is over, and the client only ever sees the 201."""
    merchant, fc, _ = api.setup()
    product = api.product(merchant)
    headers = {**api.admin, **({"Idempotency-Key": idempotency_key} if idempotency_key else {})}
    body = _adjustment(merchant, product, fc["id"])
    answers: list[Any] = []
    caplog.set_level(logging.WARNING, logger=RETRY_LOGGER)
    started = time.monotonic()
    with outsider.connect() as holder, outsider.connect() as watcher:
        watcher.execution_options(isolation_level="AUTOCOMMIT")
        holder.execute(text("SET LOCAL deadlock_timeout = '20s'"))  # the test's side is never the victim
        holder.execute(text("LOCK TABLE ledger_entries IN SHARE MODE"))
        request = threading.Thread(
            target=lambda: answers.append(
                api.client.post(f"{V1}/admin/inventory-adjustments", json=body, headers=headers)
            )
        )
        request.start()
        wait_for_lock_waiters(watcher, timeout=20, who="the request")
        # Waits until PostgreSQL aborts the request's transaction (deadlock_timeout, 1 s by default).
        holder.execute(text("SELECT id FROM products WHERE id = :id FOR UPDATE"), {"id": product["id"]})
        holder.commit()
        request.join(timeout=30)
    elapsed = time.monotonic() - started
    assert answers and answers[0].status_code == 201, answers[0].text if answers else "no answer"
    retries = [r.getMessage() for r in caplog.records if r.name == RETRY_LOGGER]
    assert len(retries) == 1 and "attempt 1 of 3" in retries[0], retries
    with outsider.connect() as conn:
        entries = conn.execute(
            text("SELECT count(*), sum(quantity) FROM ledger_entries WHERE product_id = :id"), {"id": product["id"]}
        ).one()
        keys = conn.execute(text("SELECT count(*) FROM idempotency_keys")).scalar_one()
    assert tuple(entries) == (1, 5)
    assert keys == (1 if idempotency_key else 0)
    if idempotency_key:
        replay = api.client.post(f"{V1}/admin/inventory-adjustments", json=body, headers=headers)
        assert replay.status_code == 201 and replay.headers["idempotent-replayed"] == "true"
        assert replay.json() == answers[0].json()
    print(f"RELIABILITY FIGURES deadlock victim (key={idempotency_key}): 201 after {elapsed:.2f} s, 1 retry, 1 entry")


def _failing_trigger(conn: Connection, table: str, when: str) -> None:
    """Every `when` on `table` fails with a real serialization failure; attempt_counter counts the tries
    (a sequence: its increments survive the rollbacks)."""
    conn.execute(text("CREATE SEQUENCE attempt_counter"))
    conn.execute(
        text(
            "CREATE FUNCTION fail_serialization() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "PERFORM nextval('attempt_counter'); "
            "RAISE EXCEPTION 'could not serialize access due to concurrent update' "
            "USING ERRCODE = 'serialization_failure'; END $$"
        )
    )
    conn.execute(
        text(f"CREATE TRIGGER always_conflicts {when} ON {table} FOR EACH ROW EXECUTE FUNCTION fail_serialization()")
    )


def _drop_failing_trigger(conn: Connection, table: str) -> int:
    tries = int(conn.execute(text("SELECT last_value FROM attempt_counter")).scalar_one())
    conn.execute(text(f"DROP TRIGGER always_conflicts ON {table}"))
    conn.execute(text("DROP FUNCTION fail_serialization()"))
    conn.execute(text("DROP SEQUENCE attempt_counter"))
    return tries


def test_a_request_that_keeps_conflicting_is_503_with_retry_after_after_3_attempts(
    api: Api, outsider: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    merchant = api.merchant()
    product = api.product(merchant, name="Before")
    caplog.set_level(logging.WARNING, logger=RETRY_LOGGER)
    with outsider.begin() as conn:
        _failing_trigger(conn, "products", "BEFORE UPDATE")
    try:
        started = time.monotonic()
        response = api.client.patch(f"{V1}/products/{product['id']}", json={"name": "After"}, headers=merchant.headers)
        elapsed = time.monotonic() - started
    finally:
        with outsider.begin() as conn:
            tries = _drop_failing_trigger(conn, "products")
    assert response.status_code == 503, response.text
    assert response.json()["error"]["code"] == "database_unavailable"
    assert int(response.headers["retry-after"]) > 0
    assert tries == 3
    assert [r.getMessage().split("(")[1].split(")")[0] for r in caplog.records if r.name == RETRY_LOGGER] == [
        "attempt 1 of 3",
        "attempt 2 of 3",
    ]
    assert api.client.get(f"{V1}/products/{product['id']}", headers=merchant.headers).json()["name"] == "Before"
    print(f"RELIABILITY FIGURES always-conflicting PATCH: 3 attempts, 503 after {elapsed:.2f} s")


def test_a_conflict_after_a_carrier_label_was_bought_is_not_run_again(api: Api, outsider: Engine) -> None:
    """The label is paid for at the carrier before the fee is charged: replaying would buy a second one."""
    merchant, fc, _ = api.setup()
    order = api.return_order(merchant, fc["id"])
    with outsider.begin() as conn:
        _failing_trigger(conn, "transactions", "BEFORE INSERT")
    try:
        response = api.client.post(
            f"{V1}/returns/{order['id']}/label",
            json={"type": "Optimized", "origin_address": _origin()},
            headers=merchant.headers,
        )
    finally:
        with outsider.begin() as conn:
            tries = _drop_failing_trigger(conn, "transactions")
    assert response.status_code == 503, response.text
    assert response.json()["error"]["code"] == "database_unavailable" and "retry-after" in response.headers
    assert tries == 1
    after = api.client.get(f"{V1}/returns/{order['id']}", headers=merchant.headers).json()
    assert after["label"] is None


def _origin() -> dict[str, str]:
    return {"name": "Ann Buyer", "line1": "1 Main St", "city": "Austin", "postal_code": "73301", "country": "US"}
