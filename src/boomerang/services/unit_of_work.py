"""The unit of work as the use cases see it (a port): the one commit point, and the only way a use case
reaches storage — every repository is an attribute of it.

The SQLAlchemy unit of work (adapters/unit_of_work.py) and the in-memory one of the tests implement it;
`bootstrap` builds the factory of the process. Events raised by aggregates during a use case reach the
outbox in the same transaction (the `Outbox`), so a webhook is sent if and only if its change committed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Any, Protocol, Self

from boomerang.config import Settings
from boomerang.domain.error_codes import CommonErrorCode
from boomerang.domain.errors import Forbidden
from boomerang.domain.events import Topic
from boomerang.domain.tenants import Principal
from boomerang.services.clock import Clock
from boomerang.services.ports.billing import Billing, Dashboard, RowLocks
from boomerang.services.ports.catalog import Ledger, Products, Stock
from boomerang.services.ports.integrations import CompatReturns, Integrations, Numbers, Webhooks
from boomerang.services.ports.providers import Providers
from boomerang.services.ports.receiving import Photos, Receipts, Shipments, UnidentifiedPackages
from boomerang.services.ports.returns import Returns, WorkOrders
from boomerang.services.ports.tenants import IdempotencyRecords, StoredSecrets, Tenants, WebSessions


@dataclass(frozen=True)
class OutboxRendering:
    """How the events of one aggregate type get their webhook payload, injected at bootstrap.

    `load` builds the service-level read models of the changed aggregates (a few queries for all of
    them); `render` turns one into its payload with the API's own schema, so a webhook and the API
    response can never disagree. A payload is JSON whose shape belongs to that schema, not to this
    layer: hence dict[str, Any]."""

    load: Callable[[UnitOfWork, list[Any]], list[Any]]
    render: Callable[[Any], dict[str, Any]]


class Outbox(Protocol):
    """The events of a unit of work, written with its commit. Aggregates' own events are published on
    commit without asking; `publish` is for an event about something that is not an aggregate."""

    def publish(self, topic: Topic, *, merchant_id: str, resource_type: str, subject: Any) -> None:
        """Render `subject` by `resource_type`'s outbox rendering into an event of `topic`."""
        ...

    def published(self, aggregate: Any) -> Any | None:
        """The read model the last commit rendered for `aggregate`, if it is still current."""
        ...


class UnitOfWork(Protocol):
    principal: Principal
    settings: Settings
    clock: Clock
    now: datetime  # the clock's time when the unit of work began: one "now" for the whole use case
    read_only: bool
    providers: Providers
    outbox: Outbox

    products: Products
    returns: Returns
    tenants: Tenants
    idempotency: IdempotencyRecords
    billing: Billing
    stock: Stock
    shipments: Shipments
    receipts: Receipts
    unidentified_packages: UnidentifiedPackages
    photos: Photos
    ledger: Ledger
    work_orders: WorkOrders
    stored_secrets: StoredSecrets
    webhooks: Webhooks
    integrations: Integrations
    numbers: Numbers
    compat_returns: CompatReturns
    locks: RowLocks
    web_sessions: WebSessions
    dashboard: Dashboard

    def __enter__(self) -> Self: ...

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        """Roll back whatever was not committed, and let go of the storage."""
        ...

    def flush(self) -> None:
        """Write pending changes inside the transaction (a unique conflict surfaces here as our error)."""
        ...

    def commit(self) -> None:
        """Publish the aggregates' events to the outbox, then commit: the one commit point."""
        ...

    def rollback(self) -> None: ...

    def require_merchant(self) -> str:
        """The calling merchant's id; any other principal is refused (code, not an assert)."""
        merchant_id = self.principal.merchant_id
        if merchant_id is None:
            raise Forbidden("this action needs a merchant credential", code=CommonErrorCode.FORBIDDEN)
        return merchant_id


class UnitOfWorkFactory(Protocol):
    """Builds the units of work of one process; made once by `bootstrap` and handed to every entry point."""

    @property
    def settings(self) -> Settings: ...

    @property
    def clock(self) -> Clock: ...

    def __call__(
        self, principal: Principal, *, read_only: bool = False, may_lag: bool = False, standalone_reads: bool = False
    ) -> UnitOfWork:
        """A unit of work for `principal`. `read_only` ones never commit; `may_lag` ones may read a replica;
        `standalone_reads` ones need no common snapshot. The last two are hints an adapter may ignore."""
        ...

    def with_clock(self, clock: Clock) -> UnitOfWorkFactory:
        """The same factory on another clock (a test's frozen clock, the demo loader's past days)."""
        ...


class RequestTransaction(Protocol):
    """The one transaction of a whole request sent with an Idempotency-Key (the HTTP layer opens it): the
    units of work the request opens join it, and it commits once, with the request's stored response."""

    def commit_with_response(
        self, credential: str, key: str, request_hash: str, response: tuple[int, str, Any], now: datetime
    ) -> None:
        """Store the Idempotency-Key's response and commit it together with the request's work."""
        ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...

    def close(self) -> None: ...
