"""Fixtures of the reliability suite: a live server process on the test's database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests.support.live_server import LiveServer


@pytest.fixture
def live_server(engine: Engine, tmp_path: Path) -> Iterator[LiveServer]:
    server = LiveServer(engine.url.render_as_string(hide_password=False), tmp_path / "live").start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def sqlite_server(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[LiveServer]:
    """One live server for a whole module, on its own copy of the migrated SQLite template."""
    data_dir = tmp_path_factory.mktemp("live")
    db = data_dir / "boomerang.db"
    db.write_bytes(sqlite_template.read_bytes())
    server = LiveServer(f"sqlite:///{db}", data_dir).start()
    yield server
    server.stop()
