"""`boomerang bench seed` fills a database in bulk, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select
from typer.testing import CliRunner

from boomerang.adapters.tables import core
from boomerang.entrypoints.cli import app

# The CLI runs in processes of its own.
pytestmark = pytest.mark.several_connections

runner = CliRunner()


def test_bench_seed_writes_the_requested_returns(engine: Engine) -> None:
    url = engine.url.render_as_string(hide_password=False)
    result = runner.invoke(app, ["bench", "seed", "--returns", "150", "--merchants", "4", "--database-url", url])
    assert result.exit_code == 0, result.output
    assert "return_orders 150" in result.output
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(core.return_orders)).scalar_one() == 150
        assert conn.execute(select(func.count()).select_from(core.merchants)).scalar_one() == 4
        assert conn.execute(select(func.count()).select_from(core.return_lines)).scalar_one() == 450


def test_bench_seed_refuses_a_non_positive_size() -> None:
    result = runner.invoke(app, ["bench", "seed", "--returns", "0", "--database-url", "sqlite:///unused.db"])
    assert result.exit_code != 0
