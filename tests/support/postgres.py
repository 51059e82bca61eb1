"""Per-test isolation on the PostgreSQL test database.

Most tests use the database only through the engine and session factory they are given. For them the
engine has ONE connection, opened inside a transaction that is never committed: a commit releases and
sets again a savepoint (SQLAlchemy's `join_transaction_mode="create_savepoint"` recipe, done at the
dialect so that `engine.begin()` and `engine.connect()` in a test join it too), a rollback returns to
it, and the test's end rolls the whole transaction back. Nothing is written to disk, nothing is left.

A test that needs other connections — a live server, another process, threads that must really meet
(locks, SKIP LOCKED, advisory locks, retries) — is marked `@pytest.mark.several_connections`: it gets a
plain engine and its tables are truncated after it, as every test's were before.

Two guards keep the split honest: a savepoint test that holds two connections at once, or that leaves
rows behind (written by some other connection), fails and names the marker.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from typing import Any

import psycopg
from sqlalchemy import Connection, Engine, create_engine, event, make_url, text
from sqlalchemy.pool import StaticPool

from boomerang.adapters.tables import metadata
from tests.support.waiting import wait_until

OUTER = "boomerang_test"
MARKER = "several_connections"


class _OneConnectionPool(StaticPool):
    """The test's one connection, kept when the code under test disposes of its engine (which would
    otherwise close it, and the test's uncommitted data with it)."""

    def dispose(self) -> None:
        pass

    def recreate(self) -> _OneConnectionPool:
        return self

    def close_for_good(self) -> None:
        StaticPool.dispose(self)


class OuterTransaction:
    """The one connection of a savepoint test: its transaction, and how many holders it had at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._held = 0
        self.overlapped = False  # two holders at once: the test needed connections of its own
        self.opened: list[psycopg.Connection[Any]] = []

    def checkout(self, *_: Any) -> None:
        with self._lock:
            self._held += 1
            self.overlapped = self.overlapped or self._held > 1

    def checkin(self, *_: Any) -> None:
        with self._lock:
            self._held -= 1

    def roll_back(self, engine: Engine) -> None:
        """End the outer transaction: nothing the test wrote stays."""
        for connection in self.opened:
            connection.rollback()
        pool = engine.pool
        assert isinstance(pool, _OneConnectionPool)
        pool.close_for_good()


def savepoint_engine(url: str) -> tuple[Engine, OuterTransaction]:
    """An engine whose one connection stays inside a transaction `OuterTransaction.roll_back` ends."""
    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    transaction = OuterTransaction()

    def connect() -> psycopg.Connection[Any]:
        connection = psycopg.connect(conninfo)
        connection.execute(f"SAVEPOINT {OUTER}")  # psycopg begins the outer transaction first
        transaction.opened.append(connection)
        return connection

    engine = create_engine(url, creator=connect, poolclass=_OneConnectionPool, hide_parameters=True)
    dialect: Any = engine.dialect

    def commit(dbapi_connection: Any) -> None:
        with dbapi_connection.cursor() as cursor:
            cursor.execute(f"RELEASE SAVEPOINT {OUTER}")
            cursor.execute(f"SAVEPOINT {OUTER}")

    def rollback(dbapi_connection: Any) -> None:
        with dbapi_connection.cursor() as cursor:
            cursor.execute(f"ROLLBACK TO SAVEPOINT {OUTER}")

    dialect.do_begin = lambda dbapi_connection: None  # always inside the outer transaction already
    dialect.do_commit = commit
    dialect.do_rollback = rollback
    # AUTOCOMMIT (read-only units of work) and other levels cannot be set inside a transaction: every
    # statement of the test runs in the outer one, which is what a savepoint test is.
    dialect.set_isolation_level = lambda dbapi_connection, level: None
    dialect.reset_isolation_level = lambda dbapi_connection: None
    event.listen(engine, "checkout", transaction.checkout)
    event.listen(engine, "checkin", transaction.checkin)
    return engine, transaction


def tables_with_rows(engine: Engine) -> list[str]:
    """Every table that holds a row (one query)."""
    exists = " UNION ALL ".join(
        f"SELECT '{table.name}' WHERE EXISTS (SELECT 1 FROM \"{table.name}\")" for table in metadata.sorted_tables
    )
    with engine.connect() as conn:
        return list(conn.execute(text(exists)).scalars())


def truncate_all(engine: Engine) -> None:
    names = ", ".join(f'"{table.name}"' for table in metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


def check_nothing_escaped(checker: Engine, transaction: OuterTransaction) -> None:
    """Fail a savepoint test that needed other connections, naming the marker it should carry."""
    left = tables_with_rows(checker)
    if left:
        truncate_all(checker)
    hint = f"mark it @pytest.mark.{MARKER} (a plain engine, tables truncated after it)"
    assert not left, f"rows were committed outside the test's transaction (in {', '.join(left)}): {hint}"
    assert not transaction.overlapped, f"the test used two connections at once: {hint}"


# Dropping a database waits for a checkpoint (8 s on a busy machine, 40 s seen under load): the run
# does not wait for it.
_DROP = """
import sys
from sqlalchemy import create_engine, text
server = create_engine(sys.argv[1], isolation_level="AUTOCOMMIT")
with server.connect() as conn:
    conn.execute(text(f'DROP DATABASE IF EXISTS "{sys.argv[2]}" WITH (FORCE)'))
"""


def drop_database_later(server_url: str, name: str) -> None:
    """DROP DATABASE `name` (WITH FORCE) from a process of its own that outlives the test run."""
    background = 'nohup "$0" -c "$1" "$2" "$3" >/dev/null 2>&1 &'
    subprocess.run(["sh", "-c", background, sys.executable, _DROP, server_url, name], check=True)


def lock_waiters(conn: Connection) -> list[int]:
    """The pids of the other backends of this database that wait for a lock. pg_stat_activity is read as
    a snapshot per transaction: the snapshot is cleared first, so this sees the present in any transaction."""
    conn.execute(text("SELECT pg_stat_clear_snapshot()"))
    query = (
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
        "AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'"
    )
    return [int(pid) for pid in conn.execute(text(query)).scalars()]


def wait_for_lock_waiters(conn: Connection, *, timeout: float = 30, who: str = "a backend") -> list[int]:
    """Until some other backend of this database waits for a lock; their pids."""
    return wait_until(lambda: lock_waiters(conn), timeout=timeout, message=f"{who} never waited for the lock")
