"""Alembic from an empty database gives exactly the models' schema, on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, inspect, text

from boomerang.adapters import migrate
from boomerang.adapters.db import make_engine
from boomerang.adapters.tables import metadata
from boomerang.adapters.tables.search import include_name

PG_SERVER = os.environ.get("BOOMERANG_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@pytest.fixture
def empty_engine(db_kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Engine]:
    """A brand-new, empty database of the given kind."""
    if db_kind == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
        yield engine
        engine.dispose()
        return
    request.getfixturevalue("postgres_url")  # skips (or fails under BOOMERANG_REQUIRE_POSTGRES) without a server
    name = f"boomerang_migrations_{uuid.uuid4().hex[:12]}"
    server = create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(PG_SERVER.rsplit("/", 1)[0] + f"/{name}")
    yield engine
    engine.dispose()
    with server.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    server.dispose()


def schema_differences(engine: Engine) -> list[Any]:
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "compare_server_default": False, "include_name": include_name}
        )
        return list(compare_metadata(context, metadata))


def test_migrations_from_empty_match_the_models(empty_engine: Engine) -> None:
    assert inspect(empty_engine).get_table_names() == []
    migrate.upgrade(empty_engine)
    assert schema_differences(empty_engine) == []
    tables = set(inspect(empty_engine).get_table_names())
    assert {t.name for t in metadata.sorted_tables} <= tables


def test_upgrading_twice_changes_nothing(empty_engine: Engine) -> None:
    migrate.upgrade(empty_engine)
    migrate.upgrade(empty_engine)
    assert schema_differences(empty_engine) == []


def test_the_database_ends_at_every_head(empty_engine: Engine) -> None:
    migrate.upgrade(empty_engine)
    heads = set(ScriptDirectory.from_config(migrate.alembic_config(empty_engine)).get_heads())
    with empty_engine.connect() as conn:
        current = set(MigrationContext.configure(conn).get_current_heads())
    assert current == heads


MERCHANT_OWNED = {
    "products",
    "return_orders",
    "return_lines",
    "return_status_history",
    "outbox_events",
    "ledger_entries",
    "transactions",
    "fee_schedules",
}


def test_every_merchant_owned_table_carries_merchant_id() -> None:
    tables = {t.name: t for t in metadata.sorted_tables}
    assert [name for name in sorted(MERCHANT_OWNED) if "merchant_id" not in tables[name].c] == []
