"""The unit of work on SQLAlchemy: the ONE place that begins and commits transactions, and the repositories
on its session. Publishing to the outbox is `OutboxPublisher`'s job (adapters/outbox.py).

The request-wide transaction of a request sent with an Idempotency-Key (`request_transaction`, opened by
the HTTP layer) lives here too, since it commits: every unit of work such a request opens joins it as a
savepoint (`uow.commit()` releases the savepoint, `rollback` undoes only that unit of work), and it commits
once, after the response is known, together with the stored response. A request whose changes committed
always has its response to replay; one that died before committing left nothing, not even its key."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from datetime import datetime
from types import TracebackType
from typing import Any

from sqlalchemy import event as sa_event
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from boomerang.adapters.db import MAY_LAG, is_postgres
from boomerang.adapters.db_conflicts import conflict_for
from boomerang.adapters.outbox import OutboxPublisher
from boomerang.adapters.providers import LocalProviders
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
from boomerang.config import Settings, get_settings
from boomerang.domain.tenants import Principal
from boomerang.services.clock import Clock, utcnow
from boomerang.services.ports.providers import Providers
from boomerang.services.storage_errors import DuplicateRecord
from boomerang.services.unit_of_work import OutboxRendering, UnitOfWork


class SqlAlchemyUnitOfWork(UnitOfWork):
    products: ProductRepository
    returns: ReturnRepository
    tenants: TenantRepository
    idempotency: IdempotencyRepository
    billing: BillingRepository
    stock: StockReadRepository
    shipments: ShipmentRepository
    receipts: ReceiptRepository
    unidentified_packages: UnidentifiedPackageRepository
    photos: PhotoRepository
    ledger: LedgerRepository
    work_orders: WorkOrderRepository
    stored_secrets: StoredSecretRepository
    webhooks: WebhookRepository
    integrations: IntegrationRepository
    numbers: NumberRepository
    compat_returns: CompatReturnRepository
    locks: RowLocks
    web_sessions: WebSessionRepository
    dashboard: DashboardRepository
    outbox: OutboxPublisher

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
        providers: Providers | None = None,
    ) -> None:
        self.session_factory = session_factory
        self.renderings: Mapping[str, OutboxRendering] = renderings or {}
        self.principal = principal
        self.clock = clock
        self.settings = settings or get_settings()
        self.providers = providers or LocalProviders(self.settings)
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

    def __enter__(self) -> SqlAlchemyUnitOfWork:
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
        self._open_repositories()
        self.now = self.clock()
        self.outbox = OutboxPublisher(self, self.renderings)
        self.session.info[_UOW] = self
        return self

    def _open_repositories(self) -> None:
        # A read-only unit of work reads lists, merchants and FCs as rows: nothing it reads is tracked
        # (see repositories/rows.py).
        session, principal, rows = self.session, self.principal, self.read_only
        self.products = ProductRepository(session, principal, rows=rows)
        self.returns = ReturnRepository(session, principal, rows=rows)
        self.tenants = TenantRepository(session, rows=rows)
        self.idempotency = IdempotencyRepository(session)
        self.billing = BillingRepository(session)
        self.stock = StockReadRepository(session, principal)
        self.shipments = ShipmentRepository(session, principal)
        self.receipts = ReceiptRepository(session)
        self.unidentified_packages = UnidentifiedPackageRepository(session, principal)
        self.photos = PhotoRepository(session, principal)
        self.ledger = LedgerRepository(session)
        self.work_orders = WorkOrderRepository(session, principal)
        self.stored_secrets = StoredSecretRepository(session)
        self.webhooks = WebhookRepository(session)
        self.integrations = IntegrationRepository(session)
        self.numbers = NumberRepository(session)
        self.compat_returns = CompatReturnRepository(session, principal)
        self.locks = RowLocks(session)
        self.web_sessions = WebSessionRepository(session)
        self.dashboard = DashboardRepository(session, principal)

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

    def flush(self) -> None:
        self._translate(self.session.flush)

    def commit(self) -> None:
        if self.read_only:
            raise RuntimeError("a read-only unit of work cannot commit")
        # Publishing flushes (search text, outbox), so a unique violation can surface there already.
        self._translate(self.outbox.publish_events)
        self._translate(self._commit_transaction)
        self.session.info.pop(_WROTE, None)
        self.outbox.forget_bumps()

    def rollback(self) -> None:
        self.outbox.forget_bumps()
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

    def _translate(self, operation: Callable[[], None]) -> None:
        try:
            operation()
        except (IntegrityError, StaleDataError) as error:
            self.outbox.forget_bumps()
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
class SqlAlchemyUnitOfWorkFactory:
    """Builds the units of work of one process; made once by `bootstrap` and handed to every entry point."""

    session_factory: sessionmaker[Session]
    settings: Settings
    clock: Clock = utcnow
    renderings: Mapping[str, OutboxRendering] = field(default_factory=dict)
    providers: Providers | None = None

    def __post_init__(self) -> None:
        instrument(self.session_factory)
        if self.providers is None:
            object.__setattr__(self, "providers", LocalProviders(self.settings))

    def __call__(
        self, principal: Principal, *, read_only: bool = False, may_lag: bool = False, standalone_reads: bool = False
    ) -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(
            self.session_factory,
            principal,
            self.clock,
            self.settings,
            read_only=read_only,
            renderings=self.renderings,
            may_lag=may_lag,
            standalone_reads=standalone_reads,
            providers=self.providers,
        )

    def with_session_factory(self, session_factory: sessionmaker[Session]) -> SqlAlchemyUnitOfWorkFactory:
        """The same factory on another database."""
        return replace(self, session_factory=session_factory)

    def with_clock(self, clock: Clock) -> SqlAlchemyUnitOfWorkFactory:
        """The same factory on another clock (a test's frozen clock, the demo loader's past days)."""
        return replace(self, clock=clock)


_WROTE = "boomerang_wrote"
_UOW = "boomerang_unit_of_work"


def instrument(session_factory: sessionmaker[Session]) -> None:
    """Listen to the sessions of `session_factory` (ours, never the global `Session` class): raise versions
    and set search text before each flush, and note whether the transaction wrote anything."""
    for name, listener in (
        ("before_flush", _bump_before_flush),
        ("do_orm_execute", _note_write_statement),
        ("after_flush", _note_flush),
    ):
        if not sa_event.contains(session_factory, name, listener):
            sa_event.listen(session_factory, name, listener)


def _bump_before_flush(session: Session, *_: Any) -> None:
    uow = session.info.get(_UOW)
    if uow is not None and not uow.read_only:
        uow.outbox.bump_versions(uow.outbox.changed())


def _note_write_statement(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[_WROTE] = True


def _note_flush(session: Session, _: Any) -> None:
    session.info[_WROTE] = True


def _wrote(session: Session) -> bool:
    """Whether the open transaction changed anything (or would, on flush) since the last commit."""
    return bool(session.info.get(_WROTE) or session.new or session.dirty or session.deleted)


_current: ContextVar[SqlAlchemyRequestTransaction | None] = ContextVar("request_transaction", default=None)


class SqlAlchemyRequestTransaction:
    """One session for the whole request, opened by its first unit of work (the `RequestTransaction` port)."""

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
        """Store the Idempotency-Key's response and commit it together with the request's work; DuplicateRecord
        when a concurrent request stored a response under the same key first."""
        try:
            IdempotencyRepository(self.session()).store(credential, key, request_hash, response, now)
            self.commit()
        except IntegrityError as error:
            raise DuplicateRecord("a response is already stored under this Idempotency-Key") from error

    def close(self) -> None:
        if self._session is not None:
            self._session.close()
            self._session = None


def joined(session_factory: sessionmaker[Session]) -> SqlAlchemyRequestTransaction | None:
    """The running request's transaction, if there is one on this database."""
    transaction = _current.get()
    if transaction is not None and transaction.session_factory is session_factory:
        return transaction
    return None


@contextmanager
def request_transaction(session_factory: sessionmaker[Session]) -> Iterator[SqlAlchemyRequestTransaction]:
    transaction = SqlAlchemyRequestTransaction(session_factory)
    token = _current.set(transaction)
    try:
        yield transaction
    finally:
        _current.reset(token)
