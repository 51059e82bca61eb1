"""Start-up wiring shared by every entry point (API, pages, CLI, worker): settings, the database
engine and session factory, and the keys that encrypt stored secrets. Entry points get their
storage from here, never by building adapters themselves."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias

from sqlalchemy.orm import Session, sessionmaker

from boomerang.adapters import migrate, secret_box
from boomerang.adapters.db import make_engine, make_session_factory, replica_of
from boomerang.adapters.providers import LocalProviders
from boomerang.adapters.unit_of_work import SqlAlchemyUnitOfWorkFactory, request_transaction
from boomerang.config import Settings, get_settings
from boomerang.domain.returns import ReturnOrder
from boomerang.domain.shipments import UnidentifiedPackage
from boomerang.services.clock import Clock, utcnow
from boomerang.services.read_models.returns import ReturnView, return_views
from boomerang.services.read_models.work_orders import WorkOrderView, work_order_views
from boomerang.services.unit_of_work import OutboxRendering, RequestTransaction, UnitOfWork, UnitOfWorkFactory

# What only some entry points use (the API's schemas, httpx, the rate-limit counters, the sign-in
# throttle) is imported where it is used, so a command such as `boomerang import-preferences` starts
# without loading it (about 0.2 s of a CLI run's start-up).
if TYPE_CHECKING:
    from limits.storage import Storage

    from boomerang.adapters.readiness import Readiness
    from boomerang.adapters.webhook_sender import WebhookSender
    from boomerang.services.web_sessions import FailureCounter

# What entry points hold to open sessions, named here so that none of them imports SQLAlchemy.
SessionFactory: TypeAlias = sessionmaker[Session]


def _return_views(uow: UnitOfWork, orders: list[ReturnOrder]) -> list[ReturnView]:
    """`return_views`, the FC and merchant of a single changed return read first in one query."""
    if len(orders) == 1:
        uow.tenants.preload(orders[0].fulfillment_center_id, orders[0].merchant_id)
    return return_views(uow, orders)


def _render_return(view: ReturnView) -> dict[str, Any]:
    from boomerang.schemas.returns import ReturnRead

    return ReturnRead.from_domain(view).model_dump(mode="json")


def _render_work_order(view: WorkOrderView) -> dict[str, Any]:
    from boomerang.schemas.work_orders import WorkOrderRead

    return WorkOrderRead.from_domain(view).model_dump(mode="json")


def _as_they_are(_: UnitOfWork, packages: list[UnidentifiedPackage]) -> list[UnidentifiedPackage]:
    return packages  # a package needs nothing more than itself to be rendered


def _render_package(package: UnidentifiedPackage) -> dict[str, Any]:
    from boomerang.schemas.warehouse import UnidentifiedRead

    return UnidentifiedRead.from_domain(package).model_dump(mode="json")


# The webhook payload of an aggregate's events is its API representation, rendered by the API's own
# schema from the same read model as the API response (one source, no drift).
OUTBOX_RENDERINGS: dict[str, OutboxRendering] = {
    "return": OutboxRendering(_return_views, _render_return),
    "work_order": OutboxRendering(work_order_views, _render_work_order),
    "unidentified_package": OutboxRendering(_as_they_are, _render_package),
}


@dataclass(frozen=True)
class Wiring:
    settings: Settings
    session_factory: sessionmaker[Session]

    def uow_factory(self, clock: Clock = utcnow) -> UnitOfWorkFactory:
        """The one unit-of-work factory of this process, with the outbox renderings injected."""
        return make_uow_factory(self.session_factory, self.settings, clock)

    def dispose(self) -> None:
        self.session_factory.kw["bind"].dispose()
        replica = replica_of(self.session_factory)
        if replica is not None:
            replica.dispose()


def bootstrap(
    settings: Settings | None = None,
    session_factory: sessionmaker[Session] | None = None,
    *,
    upgrade_schema: bool = False,
) -> Wiring:
    """Configure the process for `settings` (default: the environment) and open its database."""
    settings = settings or get_settings()
    secret_box.configure(settings)
    if session_factory is None:
        engine = make_engine(settings.effective_database_url)
        if upgrade_schema:
            migrate.upgrade(engine)
        replica = make_engine(settings.read_database_url) if settings.read_database_url else None
        session_factory = make_session_factory(engine, replica)
    return Wiring(settings, session_factory)


def make_uow_factory(
    session_factory: sessionmaker[Session], settings: Settings | None = None, clock: Clock = utcnow
) -> UnitOfWorkFactory:
    """Units of work on `session_factory` whose outbox events carry the API's rendering, with the built-in
    providers (carrier rate table, PDFs, photos on disk, the SSRF guard) of `settings`."""
    settings = settings or get_settings()
    return SqlAlchemyUnitOfWorkFactory(session_factory, settings, clock, OUTBOX_RENDERINGS, LocalProviders(settings))


def make_webhook_sender(settings: Settings) -> WebhookSender:
    """The real HTTP sender, with the SSRF guard and timeout of `settings`."""
    from boomerang.adapters.webhook_sender import HttpWebhookSender

    return HttpWebhookSender(timeout=settings.webhook_timeout_seconds, allow_private=settings.webhook_allow_private)


def limit_storage(settings: Settings) -> Storage:
    """The counters of the API rate limit and of the sign-in throttle: in memory (per process), or in
    Redis when BOOMERANG_REDIS_URL is set (one budget for every process). Build it once per process."""
    from boomerang.adapters.rate_limits import make_limit_storage

    return make_limit_storage(settings.rate_limit_storage_uri, settings.redis_key_prefix)


def limit_storage_is_remote(storage: Storage) -> bool:
    """Whether calls to `storage` go over the network (so they belong in a worker thread)."""
    from boomerang.adapters.rate_limits import is_remote

    return is_remote(storage)


def sign_in_failures(storage: Storage) -> FailureCounter:
    """Failed page sign-ins per email and per client address, counted in `storage`."""
    from boomerang.adapters.rate_limits import RecentFailures
    from boomerang.services.web_sessions import THROTTLE_WINDOW

    return RecentFailures(storage, THROTTLE_WINDOW, namespace="sign-in")


def readiness(session_factory: sessionmaker[Session]) -> Readiness:
    """Whether the primary database of `session_factory` answers and its migrations are at head (GET /readyz)."""
    from boomerang.adapters.readiness import check_readiness

    return check_readiness(session_factory.kw["bind"])


def __getattr__(name: str) -> Any:
    """`WebhookSender`, re-exported for the worker, imported (with httpx) only when asked for."""
    if name == "WebhookSender":
        from boomerang.adapters.webhook_sender import WebhookSender

        return WebhookSender
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "RequestTransaction",
    "SessionFactory",
    "UnitOfWorkFactory",
    "WebhookSender",
    "Wiring",
    "bootstrap",
    "limit_storage",
    "limit_storage_is_remote",
    "make_uow_factory",
    "make_webhook_sender",
    "readiness",
    "request_transaction",
    "sign_in_failures",
]
