"""Authentication reads one credential: on PostgreSQL outside a transaction (no BEGIN and COMMIT round trips
before the request's own transaction), and the connection goes back to transactions for the request."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import Engine, event

from tests.support.builders import Api


@contextmanager
def autocommit_by_statement(engine: Engine) -> Iterator[list[tuple[str, bool]]]:
    """(statement, whether its DBAPI connection was in autocommit) for each statement run."""
    seen: list[tuple[str, bool]] = []

    def note(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        seen.append((statement.lstrip(), bool(getattr(conn.connection.dbapi_connection, "autocommit", False))))

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


@pytest.mark.several_connections  # autocommit reads: nothing of a test transaction to join
def test_the_credential_is_read_outside_a_transaction_on_postgresql_only(
    api: Api, engine: Engine, db_kind: str
) -> None:
    merchant, fc, _ = api.setup()
    api.return_order(merchant, fc["id"])
    with autocommit_by_statement(engine) as seen:
        listed = api.client.get("/api/v1/returns", headers=merchant.headers)
        created = api.client.post("/api/v1/products", json={"sku": "AUTH-TX-1", "name": "N"}, headers=merchant.headers)
    assert listed.status_code == 200 and created.status_code == 201, (listed.text, created.text)
    credential_reads = [autocommit for statement, autocommit in seen if "FROM credentials" in statement]
    assert credential_reads == [db_kind == "postgres"] * 2
    others = [autocommit for statement, autocommit in seen if "FROM credentials" not in statement and statement]
    assert others and not any(others)  # every statement of the requests themselves runs in a transaction
