"""GET /readyz (issue 22 item 8, issue 27): 200 when the database answers and its migrations are at head, else
503 naming what is wrong, with Retry-After; GET /healthz stays 200 either way (liveness, not readiness)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic.config import Config
from alembic.script import ScriptDirectory
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from boomerang.adapters import migrate
from boomerang.adapters.db import make_session_factory
from tests.reliability.test_database_faults import unreachable_engine


def scripts() -> ScriptDirectory:
    config = Config()
    config.set_main_option("script_location", str(migrate.MIGRATIONS))
    return ScriptDirectory.from_config(config)


@contextmanager
def database_of(app: FastAPI, engine: Engine) -> Iterator[None]:
    """The application runs on `engine` inside the block."""
    working, working_uows = app.state.session_factory, app.state.uow_factory
    app.state.session_factory = make_session_factory(engine)
    app.state.uow_factory = working_uows.with_session_factory(app.state.session_factory)
    try:
        yield
    finally:
        app.state.session_factory, app.state.uow_factory = working, working_uows


def assert_not_ready(response: Any, checks: dict[str, str]) -> None:
    assert response.status_code == 503, response.text
    assert response.json() == {"status": "unavailable", "checks": checks}
    assert int(response.headers["retry-after"]) > 0


def test_a_migrated_reachable_database_is_ready(client: TestClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "checks": {"database": "ok", "migrations": "ok"}}
    assert response.headers["content-type"] == "application/json"


def test_an_unreachable_database_is_not_ready_but_the_process_is_alive(
    app: FastAPI, client: TestClient, db_kind: str, tmp_path: Path
) -> None:
    with database_of(app, unreachable_engine(db_kind, tmp_path)):
        assert_not_ready(client.get("/readyz"), {"database": "unreachable"})
        assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200


def test_a_database_one_migration_behind_is_not_ready_and_says_so(
    app: FastAPI, client: TestClient, empty_engine: Engine
) -> None:
    head = scripts().get_revision(scripts().get_current_head())
    previous = str(head.down_revision)
    migrate.upgrade(empty_engine, previous)
    with database_of(app, empty_engine):
        assert_not_ready(
            client.get("/readyz"), {"database": "ok", "migrations": f"behind: at {previous}, head {head.revision}"}
        )
    migrate.upgrade(empty_engine)
    with database_of(app, empty_engine):
        assert client.get("/readyz").status_code == 200


def test_an_empty_database_is_not_ready(app: FastAPI, client: TestClient, empty_engine: Engine) -> None:
    with database_of(app, empty_engine):
        head = scripts().get_current_head()
        assert_not_ready(client.get("/readyz"), {"database": "ok", "migrations": f"not migrated: head {head}"})


def test_a_schema_ahead_of_the_code_stays_ready_for_a_rolling_upgrade(
    app: FastAPI, client: TestClient, empty_engine: Engine
) -> None:
    """Upgrades migrate first, then replace the processes: the old ones keep serving meanwhile."""
    migrate.upgrade(empty_engine)
    with empty_engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_from_a_newer_release'"))
    with database_of(app, empty_engine):
        response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["migrations"].startswith("ahead of this code: at 9999_from_a_newer_release")


def test_readiness_answers_json_even_for_a_browser(
    app: FastAPI, client: TestClient, db_kind: str, tmp_path: Path
) -> None:
    with database_of(app, unreachable_engine(db_kind, tmp_path)):
        response = client.get("/readyz", headers={"Accept": "text/html"})
    assert response.status_code == 503 and response.json()["status"] == "unavailable"
