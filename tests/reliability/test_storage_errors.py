"""The adapters answer a database that cannot serve in our own words (services/storage_errors.py), so the
entry points map them to 503 without importing SQLAlchemy (issue 29, item 4)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from boomerang.adapters.db import make_engine
from boomerang.services.storage_errors import DatabaseUnavailable, TransactionConflict


def test_a_database_that_cannot_be_opened_is_database_unavailable(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}")  # a directory: "unable to open database file"
    with pytest.raises(DatabaseUnavailable) as refused, engine.connect():
        pass
    assert not isinstance(refused.value, TransactionConflict)
    engine.dispose()


def test_no_pooled_connection_free_in_time_is_database_unavailable(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'db.sqlite'}", pool_size=1, max_overflow=0, pool_timeout=0.05)
    with engine.connect(), pytest.raises(DatabaseUnavailable), engine.connect():
        pass
    engine.dispose()


def test_a_constraint_violation_stays_the_database_librarys_error(tmp_path: Path) -> None:
    """A client's conflict or a bug is not an outage: the unit of work translates what a client caused."""
    engine = make_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY)"))
        conn.execute(text("INSERT INTO t VALUES (1)"))
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(text("INSERT INTO t VALUES (1)"))
    engine.dispose()
