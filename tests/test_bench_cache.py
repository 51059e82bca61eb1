"""The benchmarks' seed cache: a data set is generated once, and every run gets a fresh, migrated copy."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from bench import seed_cache
from bench.harness import PG_SERVER, temp_database
from sqlalchemy import create_engine, func, select, text

from boomerang.adapters.migrate import MIGRATIONS
from boomerang.adapters.tables import core

# The bench seed commits and runs VACUUM ANALYZE outside a transaction.
# The seed commits and runs VACUUM ANALYZE outside a transaction, from processes of its own.
pytestmark = pytest.mark.several_connections

SIZE = 37  # no real run uses this size: its cached set belongs to this test


def _state(url: str) -> tuple[int, int, str]:
    """(returns, returns marked by a run, migration revision) of the database at `url`."""
    engine = create_engine(url)
    rt = core.return_orders
    try:
        with engine.connect() as conn:
            count = conn.execute(select(func.count()).select_from(rt)).scalar_one()
            marked = conn.execute(select(func.count()).where(rt.c.customer_name == "written by a run")).scalar_one()
            return count, marked, str(conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one())
    finally:
        engine.dispose()


def _drop_cached_postgres_set() -> None:
    server = create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as conn:
            name = seed_cache.PG_PREFIX + seed_cache.cache_key(SIZE)
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        server.dispose()


def test_a_data_set_is_seeded_once_then_every_run_gets_a_fresh_copy(
    db_kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    if db_kind == "postgres":
        request.getfixturevalue("postgres_url")  # skips without a server (fails in CI)
        request.addfinalizer(_drop_cached_postgres_set)
        _drop_cached_postgres_set()
    monkeypatch.setattr(seed_cache, "CACHE_DIR", tmp_path / "cache")
    seeded: list[int] = []
    real_seed = seed_cache.seed

    def counting_seed(url: str, returns: int) -> float:
        seeded.append(returns)
        return real_seed(url, returns)

    monkeypatch.setattr(seed_cache, "seed", counting_seed)
    with temp_database(db_kind, tmp_path, "first") as first:
        seed_cache.fill(db_kind, first, SIZE)
        engine = create_engine(first)
        with engine.begin() as conn:  # a run's writes ...
            conn.execute(core.return_orders.update().values(customer_name="written by a run"))
        engine.dispose()
        count, marked, head = _state(first)
        assert (count, marked) == (SIZE, SIZE)
    with temp_database(db_kind, tmp_path, "second") as second:
        seed_cache.fill(db_kind, second, SIZE)
        assert _state(second) == (SIZE, 0, head)  # ... are not in the next run's copy
    assert seeded == [SIZE]  # generated once, copied twice
    assert head == ScriptDirectory(str(MIGRATIONS)).get_current_head()  # each copy migrated to head
