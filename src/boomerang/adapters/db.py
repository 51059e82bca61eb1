"""Engines for SQLite (embedded default) and PostgreSQL (production)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, exc
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from boomerang.adapters.orm import start_mappers
from boomerang.services.storage_errors import DatabaseUnavailable, TransactionConflict


def make_engine(url: str, **kwargs: Any) -> Engine:
    # Bound parameters carry secrets and customer data, and a bulk statement's fill megabytes of log:
    # errors and echo show the SQL only.
    kwargs.setdefault("hide_parameters", True)
    if url.startswith("sqlite"):
        engine = _sqlite_engine(url, **kwargs)
    else:
        kwargs.setdefault("pool_pre_ping", True)
        kwargs.setdefault("pool_size", 10)
        kwargs.setdefault("max_overflow", 20)
        kwargs.setdefault("poolclass", _QueuePool)
        engine = create_engine(url, **kwargs)
    event.listen(engine, "handle_error", _in_our_words)
    return engine


def _in_our_words(context: ExceptionContext) -> Exception | None:
    """A lost database or a transaction rolled back for another one, raised as our own error (the entry
    points answer those without knowing SQLAlchemy); every other error stays SQLAlchemy's. A failed pool
    pre-ping is left alone: the pool reconnects."""
    error = context.sqlalchemy_exception
    if error is None or context.is_pre_ping:
        return None
    if is_transient_conflict(error):
        return TransactionConflict(str(error))
    if is_unavailable(error):
        return DatabaseUnavailable(str(error))
    return None


class _QueuePool(QueuePool):
    """No pooled connection free in time: our DatabaseUnavailable (503), like a refused connection."""

    def _do_get(self) -> Any:
        try:
            return super()._do_get()
        except exc.TimeoutError as error:
            raise DatabaseUnavailable(str(error)) from error


def _sqlite_engine(url: str, **kwargs: Any) -> Engine:
    path = url.split("///", 1)[-1]
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        kwargs.setdefault("poolclass", _QueuePool)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _: Any) -> None:
        # Take over transaction control from pysqlite so BEGIN IMMEDIATE works (SQLAlchemy recipe).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Writers take the lock up front: no deadlock when two read-then-write transactions race.
        mode = conn.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


# Session.info key: this session's reads may lag, so they go to the read replica if one is configured.
MAY_LAG = "boomerang_may_lag"
_REPLICA = "boomerang_replica"


class RoutingSession(Session):
    """A session on the primary that sends its statements to the read replica once marked `MAY_LAG`.

    Only a read-only unit of work outside any write transaction marks its session (before its first
    statement), so writes, read-your-writes paths and everything inside a transaction stay on the primary."""

    def get_bind(self, *args: Any, **kwargs: Any) -> Any:
        replica = self.info.get(_REPLICA)
        if replica is not None and self.info.get(MAY_LAG):
            return replica
        return super().get_bind(*args, **kwargs)


def make_session_factory(engine: Engine, replica: Engine | None = None) -> sessionmaker[Session]:
    """Sessions on `engine`; with `replica`, sessions marked MAY_LAG read from it instead."""
    start_mappers()
    info = {_REPLICA: replica} if replica is not None else {}
    return sessionmaker(bind=engine, class_=RoutingSession, expire_on_commit=False, autoflush=True, info=info)


def replica_of(session_factory: sessionmaker[Session]) -> Engine | None:
    """The read replica's engine of a session factory made by make_session_factory, if it has one."""
    replica = session_factory.kw.get("info", {}).get(_REPLICA)
    return replica if isinstance(replica, Engine) else None


def is_postgres(engine: Engine | Connection) -> bool:
    return engine.dialect.name == "postgresql"


def is_unavailable(error: BaseException) -> bool:
    """A database error a retry may cure: connection lost or refused, pool exhausted, lock or
    serialization timeouts. (Not a bad statement or a constraint: those are bugs or conflicts.)"""
    if isinstance(error, exc.TimeoutError):  # no pool connection free in time
        return True
    if isinstance(error, exc.DBAPIError):
        return error.connection_invalidated or isinstance(error, exc.OperationalError | exc.InterfaceError)
    return False


# SQLSTATEs of a transaction PostgreSQL aborted only because of another one: run again, it may pass.
_TRANSACTION_CONFLICTS = frozenset({"40001", "40P01"})  # serialization_failure, deadlock_detected


def is_transient_conflict(error: BaseException) -> bool:
    """A serialization failure or a deadlock: the whole transaction was rolled back and running it again
    from the start is the cure PostgreSQL's manual gives. (Not a lock or statement timeout, not a lost
    connection: those stay 503 for the client to retry later.)"""
    if not isinstance(error, exc.DBAPIError) or error.connection_invalidated:
        return False
    orig = error.orig
    state = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    return state in _TRANSACTION_CONFLICTS
