"""Every database test runs twice: on SQLite (embedded default) and on PostgreSQL (production).

PostgreSQL: one fresh database per test session (per xdist worker), migrated with Alembic, dropped at
the end. Each test runs inside a transaction rolled back after it (tests/support/postgres.py); a test
marked `several_connections` commits for real and the tables are truncated after it. SQLite: a
migrated template file copied per test. Without a reachable PostgreSQL the PostgreSQL half is skipped,
unless BOOMERANG_REQUIRE_POSTGRES=1.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from boomerang.adapters import migrate
from boomerang.adapters.db import make_engine, make_session_factory
from boomerang.bootstrap import limit_storage, make_uow_factory, sign_in_failures
from boomerang.config import Settings
from boomerang.entrypoints.http.app import create_app
from tests.support import postgres
from tests.support.builders import Api, FrozenClock

PG_SERVER = os.environ.get("BOOMERANG_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
ADMIN_TOKEN = "test-admin-token"


def _postgres_available() -> bool:
    try:
        engine = create_engine(PG_SERVER)
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    if not _postgres_available():
        if os.environ.get("BOOMERANG_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL is required (BOOMERANG_REQUIRE_POSTGRES=1) but {PG_SERVER} is not reachable")
        pytest.skip(f"PostgreSQL not reachable at {PG_SERVER}")
    name = f"boomerang_test_{uuid.uuid4().hex[:12]}"
    server = create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG_SERVER.rsplit("/", 1)[0] + f"/{name}"
    with server.connect() as conn:
        # A throwaway database need not wait for its commits to reach the disk (PostgreSQL crashes are not tested).
        conn.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    yield url
    server.dispose()
    postgres.drop_database_later(PG_SERVER, name)


@pytest.fixture(params=["sqlite", "postgres"])
def db_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def engine(db_kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if db_kind == "sqlite":
        path = tmp_path / "boomerang.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        engine = make_engine(f"sqlite:///{path}")
        yield engine
        engine.dispose()
        return
    url = request.getfixturevalue("postgres_url")
    if request.node.get_closest_marker(postgres.MARKER):
        engine = make_engine(url)
        yield engine
        postgres.truncate_all(engine)
        engine.dispose()
        return
    checker = request.getfixturevalue("postgres_checker")
    engine, transaction = postgres.savepoint_engine(url)
    yield engine
    transaction.roll_back(engine)
    postgres.check_nothing_escaped(checker, transaction)


@pytest.fixture(scope="session")
def postgres_checker(postgres_url: str) -> Iterator[Engine]:
    """A plain engine on the test database, to see what a test left behind (and truncate it)."""
    engine = make_engine(postgres_url, pool_size=1)
    yield engine
    engine.dispose()


@pytest.fixture
def session_factory(engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(engine)


@pytest.fixture
def empty_engine(db_kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Engine]:
    """A brand-new, empty database of the given kind, not migrated (migration tests)."""
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
    server.dispose()
    postgres.drop_database_later(PG_SERVER, name)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
def settings(tmp_path: Path, engine: Engine) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        database_url=engine.url.render_as_string(hide_password=False),
        admin_token=ADMIN_TOKEN,
        rate_limit=0,
        anonymous_rate_limit=0,
        webhook_allow_private=True,
        password_hash_profile="CHEAPEST",  # argon2 at full cost is ~0.3 s a hash; tests sign in thousands of times
    )


_shared_app: list[FastAPI] = []


@pytest.fixture
def app(settings: Settings, session_factory: sessionmaker[Session], clock: FrozenClock) -> FastAPI:
    """Building the routes costs ~0.4 s, so without rate limiting (whose windows are per app)
    one app per process is rewired to each test's database, settings and clock."""
    if settings.rate_limit or settings.anonymous_rate_limit:
        return create_app(settings, session_factory, clock)
    if not _shared_app:
        _shared_app.append(create_app(settings, session_factory, clock))
    shared = _shared_app[0]
    shared.state.settings = settings
    shared.state.session_factory = session_factory
    shared.state.clock = clock
    shared.state.uow_factory = make_uow_factory(session_factory, settings, clock)
    shared.state.sign_in_failures = sign_in_failures(limit_storage(settings))  # in memory: a fresh count per test
    return shared


@pytest.fixture
def client(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def api(client: TestClient) -> Api:
    return Api(client, ADMIN_TOKEN)
