"""The unit of work: the ONE place that begins and commits transactions.

Events raised by aggregates during a use case are rendered and written to the outbox in the same
transaction, so a webhook is sent if and only if the change it describes was committed.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from datetime import datetime
from types import TracebackType
from typing import Any

from sqlalchemy import event as sa_event
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from boomerang.adapters.db import MAY_LAG, is_postgres
from boomerang.adapters.db_conflicts import conflict_for
from boomerang.adapters.repositories.base import Aggregate, AggregateRepository
from boomerang.adapters.repositories.billing import BillingRepository
from boomerang.adapters.repositories.compat_returns import CompatReturnRepository
from boomerang.adapters.repositories.dashboard import DashboardRepository
from boomerang.adapters.repositories.idempotency import IdempotencyRepository
from boomerang.adapters.repositories.integrations import IntegrationRepository
from boomerang.adapters.repositories.ledger import LedgerRepository
from boomerang.adapters.repositories.locks import RowLocks
from boomerang.adapters.repositories.numbers import NumberRepository
from boomerang.adapters.repositories.photos import PhotoRepository
from boomerang.adapters.repositories.products import ProductRepository
from boomerang.adapters.repositories.receipts import ReceiptRepository
from boomerang.adapters.repositories.returns import ReturnRepository
from boomerang.adapters.repositories.shipments import ShipmentRepository
from boomerang.adapters.repositories.stock import StockReadRepository
from boomerang.adapters.repositories.stored_secrets import StoredSecretRepository
from boomerang.adapters.repositories.tenants import TenantRepository
from boomerang.adapters.repositories.unidentified import UnidentifiedPackageRepository
from boomerang.adapters.repositories.web_sessions import WebSessionRepository
from boomerang.adapters.repositories.webhooks import WebhookRepository
from boomerang.adapters.repositories.work_orders import WorkOrderRepository
from boomerang.adapters.tables.core import outbox_events
from boomerang.config import Settings, get_settings
from boomerang.domain.error_codes import CommonErrorCode
from boomerang.domain.errors import Forbidden
from boomerang.domain.events import Topic
from boomerang.domain.ids import new_id
from boomerang.domain.returns import ReturnOrder
from boomerang.domain.tenants import Principal
from boomerang.services.clock import Clock, utcnow


@dataclass(frozen=True)
class OutboxRendering:
    """How the events of one aggregate type get their webhook payload, injected at bootstrap.

    `load` builds the service-level read models of the changed aggregates (a few queries for all of
    them); `render` turns one into its payload with the API's own schema, so a webhook and the API
    response can never disagree. A payload is JSON whose shape belongs to that schema, not to this
    layer: hence dict[str, Any]."""

    load: Callable[[UnitOfWork, list[Any]], list[Any]]
    render: Callable[[Any], dict[str, Any]]


class UnitOfWork:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        principal: Principal,
        clock: Clock = utcnow,
        settings: Settings | None = None,
        *,
        read_only: bool = False,
        renderings: Mapping[str, OutboxRendering] | None = None,
        may_lag: bool = False,
        standalone_reads: bool = False,
    ) -> None:
        self.session_factory = session_factory
        # resource type -> how its events' payloads are rendered, injected at bootstrap
        self.renderings: Mapping[str, OutboxRendering] = renderings or {}
        self.principal = principal
        self.clock = clock
        self.settings = settings or get_settings()
        # Read-only: on SQLite the transaction begins DEFERRED, so readers never queue for the write lock.
        self.read_only = read_only
        # Reads that may lag a little (lists, analytics, exports) go to the read replica, when there is one.
        if may_lag and not read_only:
            raise ValueError("only a read-only unit of work may read from the replica")
        self.may_lag = may_lag
        # Reads that need no common snapshot (each statement stands alone, as a credential lookup does):
        # on PostgreSQL they run in autocommit, without the BEGIN and COMMIT round trips.
        if standalone_reads and not read_only:
            raise ValueError("only a read-only unit of work may read outside a transaction")
        self.standalone_reads = standalone_reads

    def __enter__(self) -> UnitOfWork:
        # Inside a request sent with an Idempotency-Key: a savepoint of the request's transaction.
        self._request = joined(self.session_factory)
        self.session = self._request.session() if self._request else self.session_factory()
        self._savepoint = self.session.begin_nested() if self._request else None
        if self.may_lag and self._request is None:
            self.session.info[MAY_LAG] = True  # before the first statement: see RoutingSession
        if self.read_only and self._request is None:
            options: dict[str, Any] = {"sqlite_begin": "DEFERRED"}
            if self.standalone_reads and is_postgres(self.session.get_bind()):
                options["isolation_level"] = "AUTOCOMMIT"
            self.session.connection(execution_options=options)
        # A read-only unit of work reads lists, merchants and FCs as rows: nothing it reads is tracked
        # (see repositories/rows.py).
        self.products = ProductRepository(self.session, self.principal, rows=self.read_only)
        self.returns = ReturnRepository(self.session, self.principal, rows=self.read_only)
        self.tenants = TenantRepository(self.session, rows=self.read_only)
        self.idempotency = IdempotencyRepository(self.session)
        self.billing = BillingRepository(self.session)
        self.stock = StockReadRepository(self.session, self.principal)
        self.shipments = ShipmentRepository(self.session, self.principal)
        self.receipts = ReceiptRepository(self.session)
        self.unidentified_packages = UnidentifiedPackageRepository(self.session, self.principal)
        self.photos = PhotoRepository(self.session, self.principal)
        self.ledger = LedgerRepository(self.session)
        self.work_orders = WorkOrderRepository(self.session, self.principal)
        self.stored_secrets = StoredSecretRepository(self.session)
        self.webhooks = WebhookRepository(self.session)
        self.integrations = IntegrationRepository(self.session)
        self.numbers = NumberRepository(self.session)
        self.compat_returns = CompatReturnRepository(self.session, self.principal)
        self.locks = RowLocks(self.session)
        self.web_sessions = WebSessionRepository(self.session)
        self.dashboard = DashboardRepository(self.session, self.principal)
        self.now = self.clock()
        # id -> (version, read model) last rendered into the outbox (the response after a commit, not read twice)
        self._published: dict[str, tuple[int | None, Any]] = {}
        self._bumped: set[str] = set()  # aggregates whose version this commit already raised
        self.session.info[_UOW] = self
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.session.info.get(_UOW) is self:
            del self.session.info[_UOW]
        if self._request is None:
            # A transaction that wrote nothing ends in COMMIT, which changes nothing but, unlike ROLLBACK,
            # leaves psycopg's prepared statements on the connection (PostgreSQL plans each query once).
            if exc_type is None and not _wrote(self.session):
                self.session.commit()
            else:
                self.session.rollback()
            self.session.close()
        elif self._savepoint is not None and self._savepoint.is_active:
            self._savepoint.rollback()
        # An autoflush inside a use case can hit a unique constraint or a stale version too.
        if isinstance(exc, IntegrityError | StaleDataError):
            translated = conflict_for(exc)
            if translated is not None:
                raise translated from exc

    def require_merchant(self) -> str:
        """The calling merchant's id; any other principal is refused (code, not an assert)."""
        merchant_id = self.principal.merchant_id
        if merchant_id is None:
            raise Forbidden("this action needs a merchant credential", code=CommonErrorCode.FORBIDDEN)
        return merchant_id

    def published(self, aggregate: Any) -> Any | None:
        """The read model this commit rendered into the outbox for `aggregate`, if it is still current."""
        found = self._published.get(aggregate.id)
        if found is None or found[0] != getattr(aggregate, "version", None):
            return None
        return found[1]

    def event_sources(self) -> dict[str, Mapping[str, Aggregate]]:
        """Aggregates loaded or added in this unit of work, by resource type (then by id): every
        aggregate repository's, so an aggregate raising events is published whichever use case changed it."""
        repositories: list[AggregateRepository[Any]] = [self.returns, self.work_orders]
        return {repo.resource_type: repo.seen for repo in repositories}

    def flush(self) -> None:
        self._translate(self.session.flush)

    def commit(self) -> None:
        if self.read_only:
            raise RuntimeError("a read-only unit of work cannot commit")
        self._published = {}
        # Publishing flushes (search text, outbox), so a unique violation can surface there already.
        self._translate(self._publish_events)
        self._translate(self._commit_transaction)
        self.session.info.pop(_WROTE, None)
        self._bumped.clear()

    def rollback(self) -> None:
        self._bumped.clear()
        if self._request is None:
            self.session.rollback()
        elif self._savepoint is not None:
            self._savepoint.rollback()
            self._savepoint = None

    def _commit_transaction(self) -> None:
        if self._request is None:
            self.session.commit()
        elif self._savepoint is not None:
            self._savepoint.commit()  # durable when the request's transaction commits
            self._savepoint = None
        else:
            self.session.flush()  # after an earlier commit: part of the request's transaction

    def publish(self, topic: Topic, *, merchant_id: str, resource_type: str, subject: Any) -> None:
        """An event about something that is not an aggregate of this unit of work (it raises no events of
        its own), into the same outbox, rendered by `resource_type`'s outbox rendering like any other."""
        rendering = self._rendering(resource_type)
        (model,) = rendering.load(self, [subject])
        row = {"merchant_id": merchant_id, "topic": topic.value, "payload": rendering.render(model)}
        self.session.execute(_OUTBOX_INSERT, {"id": new_id("evt"), **row, "created_at": self.now})

    def _rendering(self, resource_type: str) -> OutboxRendering:
        rendering = self.renderings.get(resource_type)
        if rendering is None:
            raise RuntimeError(f"no outbox rendering for {resource_type!r}: use the uow_factory of bootstrap")
        return rendering

    def _publish_events(self) -> None:
        changed_by_type = {
            resource_type: [agg for agg in seen.values() if agg.events]
            for resource_type, seen in self.event_sources().items()
        }
        self._bump_versions(itertools.chain.from_iterable(changed_by_type.values()))
        for resource_type, changed in changed_by_type.items():
            if not changed:
                continue
            self.flush()
            rendering = self._rendering(resource_type)
            for agg, model in zip(changed, rendering.load(self, changed), strict=True):
                self._published[agg.id] = (getattr(agg, "version", None), model)
                payload = rendering.render(model)
                for event in agg.events:
                    row = {"merchant_id": agg.merchant_id, "topic": event.topic, "payload": payload}
                    self.session.execute(_OUTBOX_INSERT, {"id": new_id("evt"), **row, "created_at": self.now})
                agg.events.clear()

    def _bump_versions(self, changed: Iterable[Aggregate]) -> None:
        """Raise each changed aggregate's version once per commit, and set a changed return's search text
        (lines, numbers, customer). Also before every flush, so the UPDATE an autoflush writes in the middle
        of a use case carries them, instead of a second UPDATE of the same row at commit."""
        for agg in changed:
            version = agg.version
            fresh = agg.id not in self._bumped and version is not None and agg in self.session
            if fresh and version is not None and not _is_new(self.session, agg):
                agg.version = version + 1
                self._bumped.add(agg.id)
            if isinstance(agg, ReturnOrder):
                self.returns.sync_search_text(agg)

    def _translate(self, operation: Callable[[], None]) -> None:
        try:
            operation()
        except (IntegrityError, StaleDataError) as error:
            self._bumped.clear()
            if self._request is not None and self._savepoint is not None:
                self._savepoint.rollback()
                self._savepoint = None
            else:
                self.session.rollback()
            translated = conflict_for(error)
            if translated is None:
                raise
            raise translated from error


@dataclass(frozen=True)
class UnitOfWorkFactory:
    """Builds the units of work of one process; made once by `bootstrap` and handed to every entry point."""

    session_factory: sessionmaker[Session]
    settings: Settings
    clock: Clock = utcnow
    renderings: Mapping[str, OutboxRendering] = field(default_factory=dict)

    def __call__(
        self, principal: Principal, *, read_only: bool = False, may_lag: bool = False, standalone_reads: bool = False
    ) -> UnitOfWork:
        return UnitOfWork(
            self.session_factory,
            principal,
            self.clock,
            self.settings,
            read_only=read_only,
            renderings=self.renderings,
            may_lag=may_lag,
            standalone_reads=standalone_reads,
        )

    def with_session_factory(self, session_factory: sessionmaker[Session]) -> UnitOfWorkFactory:
        """The same factory on another database."""
        return replace(self, session_factory=session_factory)

    def with_clock(self, clock: Clock) -> UnitOfWorkFactory:
        """The same factory on another clock (a test's frozen clock, the demo loader's past days)."""
        return replace(self, clock=clock)


_WROTE = "boomerang_wrote"
_OUTBOX_INSERT = insert(outbox_events)  # built once: its compiled form is cached by its (memoized) key
_UOW = "boomerang_unit_of_work"


@sa_event.listens_for(Session, "before_flush")
def _bump_before_flush(session: Session, *_: Any) -> None:
    uow = session.info.get(_UOW)
    if uow is not None and not uow.read_only:
        uow._bump_versions(agg for seen in uow.event_sources().values() for agg in seen.values() if agg.events)


@sa_event.listens_for(Session, "do_orm_execute")
def _note_write_statement(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[_WROTE] = True


@sa_event.listens_for(Session, "after_flush")
def _note_flush(session: Session, _: Any) -> None:
    session.info[_WROTE] = True


def _wrote(session: Session) -> bool:
    """Whether the open transaction changed anything (or would, on flush) since the last commit."""
    return bool(session.info.get(_WROTE) or session.new or session.dirty or session.deleted)


def _is_new(session: Session, obj: Any) -> bool:
    from sqlalchemy import inspect

    return bool(inspect(obj).pending)


# One transaction for a whole request sent with an Idempotency-Key, committed together with its record.
#
# While such a request runs, every unit of work it opens joins this transaction as a savepoint:
# `uow.commit()` releases the savepoint and `rollback` undoes only that unit of work. The transaction
# itself commits once, after the response is known, in the same commit as the stored response. So a
# request whose changes committed always has its response to replay, and a request that died before
# committing (a crash, a killed connection) left nothing behind, not even its key.

_current: ContextVar[RequestTransaction | None] = ContextVar("request_transaction", default=None)


class RequestTransaction:
    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self.session_factory = session_factory
        self._session: Session | None = None

    def session(self) -> Session:
        """The request's session, opened by the first unit of work that needs it."""
        if self._session is None:
            self._session = self.session_factory()
        return self._session

    def commit(self) -> None:
        if self._session is not None:
            self._session.commit()

    def rollback(self) -> None:
        if self._session is not None:
            self._session.rollback()

    def commit_with_response(
        self, credential: str, key: str, request_hash: str, response: tuple[int, str, Any], now: datetime
    ) -> None:
        """Store the Idempotency-Key's response and commit it together with the request's work."""
        IdempotencyRepository(self.session()).store(credential, key, request_hash, response, now)
        self.commit()

    def close(self) -> None:
        if self._session is not None:
            self._session.close()
            self._session = None


def joined(session_factory: sessionmaker[Session]) -> RequestTransaction | None:
    """The running request's transaction, if there is one on this database."""
    transaction = _current.get()
    if transaction is not None and transaction.session_factory is session_factory:
        return transaction
    return None


@contextmanager
def request_transaction(session_factory: sessionmaker[Session]) -> Iterator[RequestTransaction]:
    transaction = RequestTransaction(session_factory)
    token = _current.set(transaction)
    try:
        yield transaction
    finally:
        _current.reset(token)
