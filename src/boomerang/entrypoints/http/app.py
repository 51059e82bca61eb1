"""The HTTP host: the one ASGI app. API under /api/v1 (OpenAPI at /api/openapi.json, docs at /api/docs), pages
at /, the ShipBob-compatible API at /compat/shipbob, probes at /healthz and /readyz; the middleware they share."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import FastAPI

from boomerang.bootstrap import SessionFactory, bootstrap, limit_storage, sign_in_failures
from boomerang.config import Settings
from boomerang.entrypoints.api.routes import mount_api
from boomerang.entrypoints.compat.shipbob.app import mount_shipbob_compat
from boomerang.entrypoints.http import probes
from boomerang.entrypoints.http.body_limit import BodyLimitMiddleware
from boomerang.entrypoints.http.caller import CallerMiddleware
from boomerang.entrypoints.http.edge_answers import answer_pages_with
from boomerang.entrypoints.http.errors import install_error_handlers
from boomerang.entrypoints.http.middleware import IdempotencyMiddleware, RateLimitMiddleware, UnstorableTextGuard
from boomerang.entrypoints.http.retry import TransactionRetryMiddleware
from boomerang.entrypoints.http.security_headers import SecurityHeadersMiddleware
from boomerang.entrypoints.web.app import mount_web
from boomerang.entrypoints.web.errors import error_page
from boomerang.services.clock import Clock, utcnow

if TYPE_CHECKING:
    from limits.storage import Storage


def create_app(
    settings: Settings | None = None,
    session_factory: SessionFactory | None = None,
    clock: Clock = utcnow,
) -> FastAPI:
    wiring = bootstrap(settings, session_factory)
    settings = wiring.settings
    app = FastAPI(
        title="Boomerang",
        version="1.0.0",
        summary="Returns management for e-commerce fulfillment warehouses",
        openapi_url="/api/openapi.json",
        docs_url=None,  # served offline by the web layer (entrypoints/web/api_docs.py)
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.session_factory = wiring.session_factory
    app.state.clock = clock
    app.state.uow_factory = wiring.uow_factory(clock)
    counters = limit_storage(settings)  # one storage: the API rate limit and the sign-in throttle
    app.state.sign_in_failures = sign_in_failures(counters)
    install_error_handlers(app)  # the JSON envelope; the pages wrap these handlers with their HTML
    mount_api(app)
    mount_web(app)
    answer_pages_with(app, error_page)  # what the middleware refuses to a page request is the error page
    app.include_router(probes.router)  # GET /healthz, GET /readyz
    _add_shared_middleware(app, settings, counters)
    mount_shipbob_compat(app)  # after the rate limiter: reshapes its 429s under /compat/shipbob
    app.add_middleware(SecurityHeadersMiddleware)  # outermost: every response carries the headers
    return app


def _add_shared_middleware(app: FastAPI, settings: Settings, counters: Storage) -> None:
    """Innermost first: each `add_middleware` wraps the ones added before it."""
    app.add_middleware(IdempotencyMiddleware, state=app.state)
    # Outside the idempotency middleware: a replay starts a fresh request transaction under the same key.
    app.add_middleware(TransactionRetryMiddleware)
    app.add_middleware(UnstorableTextGuard)
    app.add_middleware(
        BodyLimitMiddleware,
        max_body_bytes=settings.max_body_bytes,
        max_multipart_bytes=settings.max_multipart_bytes,
        max_csv_bytes=settings.max_csv_bytes,
        max_anonymous_body_bytes=settings.max_anonymous_body_bytes,
        max_buffered_body_bytes=settings.max_buffered_body_bytes,
        body_grace_seconds=settings.body_grace_seconds,
        min_body_bytes_per_second=settings.min_body_bytes_per_second,
    )
    app.add_middleware(
        RateLimitMiddleware,
        per_minute=settings.rate_limit,
        anonymous_per_minute=settings.anonymous_rate_limit,
        storage=counters,
    )
    # Outside the limiter and the body cap: who is calling is known before either runs (http/caller.py).
    app.add_middleware(CallerMiddleware)
