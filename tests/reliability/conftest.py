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
