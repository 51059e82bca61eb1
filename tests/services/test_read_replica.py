"""Reads that may lag go to a real PostgreSQL streaming replica; writes and read-your-writes stay on the primary.

The test starts its own hot standby (tests/services/replica.py) of a database made for it, then pauses
the standby's replay: a return created through the API is then visible to the primary's reads
(`GET /returns/{id}`) but not to the list, which the replica serves, until replay resumes.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.exc import InternalError

from boomerang.adapters import migrate
from boomerang.adapters.db import make_engine, replica_of
from boomerang.adapters.unit_of_work import SqlAlchemyUnitOfWork
from boomerang.bootstrap import Wiring, bootstrap, request_transaction
from boomerang.config import Settings
from boomerang.entrypoints.http.app import create_app
from boomerang.services.auth import SYSTEM
from tests.conftest import ADMIN_TOKEN, PG_SERVER, _postgres_available
from tests.services.replica import skip_or_fail, streaming_replica, wait_replayed
from tests.support.builders import Api

# A live server, other processes or connections that must meet.
pytestmark = pytest.mark.several_connections


@pytest.fixture(scope="module")
def primary_url() -> Iterator[str]:
    if not _postgres_available():
        skip_or_fail(f"PostgreSQL not reachable at {PG_SERVER}")
    name = f"boomerang_replica_{uuid.uuid4().hex[:12]}"
    server = create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG_SERVER.rsplit("/", 1)[0] + f"/{name}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    try:
        yield url
    finally:
        with server.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


@pytest.fixture(scope="module")
def replica_url(primary_url: str) -> Iterator[str]:
    with streaming_replica(primary_url) as url:
        yield url


@pytest.fixture
def wiring(primary_url: str, replica_url: str, tmp_path: Path) -> Iterator[Wiring]:
    settings = Settings(
        data_dir=tmp_path / "data",
        database_url=primary_url,
        read_database_url=replica_url,
        admin_token=ADMIN_TOKEN,
        rate_limit=0,
    )
    wiring = bootstrap(settings)
    yield wiring
    wiring.dispose()


def _in_recovery(uow: SqlAlchemyUnitOfWork) -> bool:
    return bool(uow.session.execute(select(func.pg_is_in_recovery())).scalar_one())


def test_only_lag_tolerant_read_only_units_of_work_read_from_the_replica(wiring: Wiring) -> None:
    factory = wiring.session_factory
    assert replica_of(factory) is not None
    with SqlAlchemyUnitOfWork(factory, SYSTEM, read_only=True, may_lag=True) as uow:
        assert _in_recovery(uow), "a may-lag read went to the primary"
    with SqlAlchemyUnitOfWork(factory, SYSTEM, read_only=True) as uow:
        assert not _in_recovery(uow), "a read-your-writes read went to the replica"
    with SqlAlchemyUnitOfWork(factory, SYSTEM) as uow:
        assert not _in_recovery(uow), "a unit of work that may write went to the replica"
    with request_transaction(factory) as transaction:  # a request's write transaction: everything on the primary
        with SqlAlchemyUnitOfWork(factory, SYSTEM, read_only=True, may_lag=True) as uow:
            assert not _in_recovery(uow)
        transaction.rollback()
        transaction.close()
    with pytest.raises(ValueError, match="read-only"):
        SqlAlchemyUnitOfWork(factory, SYSTEM, may_lag=True)


def test_a_write_on_the_replica_is_refused(wiring: Wiring) -> None:
    """The routing is a safety net too: a lagging unit of work cannot write, even by accident."""
    factory = wiring.session_factory
    with (
        SqlAlchemyUnitOfWork(factory, SYSTEM, read_only=True, may_lag=True) as uow,
        pytest.raises(InternalError, match="read-only transaction"),
    ):
        uow.session.execute(text("CREATE TABLE should_not_exist (id int)"))


def _replay(replica: Engine, action: str) -> None:
    with replica.connect() as conn:
        conn.execute(text(f"SELECT pg_wal_replay_{action}()"))
        conn.commit()


def test_list_and_export_are_served_by_the_replica_and_the_return_by_the_primary(
    wiring: Wiring, primary_url: str, replica_url: str
) -> None:
    app = create_app(wiring.settings, wiring.session_factory)
    primary, replica = create_engine(primary_url), create_engine(replica_url)
    try:
        with TestClient(app) as client:
            api = Api(client, ADMIN_TOKEN)
            merchant, fc, _ = api.setup()
            product = api.product(merchant)
            first = api.return_order(merchant, fc["id"], [product])
            wait_replayed(primary, replica)  # the merchant and its credential too (authentication reads the primary)
            listed = client.get("/api/v1/returns", headers=merchant.headers)
            assert listed.status_code == 200, listed.text
            assert [r["id"] for r in listed.json()["items"]] == [first["id"]]

            _replay(replica, "pause")
            try:
                created = api.return_order(merchant, fc["id"], [product])  # a write: to the primary
                with primary.connect() as conn:
                    assert conn.execute(
                        text("SELECT count(*) FROM return_orders WHERE id = :id"), {"id": created["id"]}
                    ).scalar_one()
                # read-your-writes: the single return right after its creation comes from the primary
                fetched = client.get(f"/api/v1/returns/{created['id']}", headers=merchant.headers)
                assert fetched.status_code == 200, fetched.text
                # the list may lag: the paused replica serves it without the new return
                lagging = client.get("/api/v1/returns", headers=merchant.headers).json()["items"]
                assert [r["id"] for r in lagging] == [first["id"]]
                api.product(merchant, sku="LAG-SKU")
                export = client.get("/api/v1/products/return-preferences/export", headers=merchant.headers)
                assert export.status_code == 200 and "LAG-SKU" not in export.text
            finally:
                _replay(replica, "resume")
            wait_replayed(primary, replica)
            caught_up = client.get("/api/v1/returns", headers=merchant.headers).json()["items"]
            assert [r["id"] for r in caught_up] == [created["id"], first["id"]]
            export = client.get("/api/v1/products/return-preferences/export", headers=merchant.headers)
            assert "LAG-SKU" in export.text
    finally:
        primary.dispose()
        replica.dispose()
