"""The FastAPI application: API under /api/v1, OpenAPI at /api/openapi.json, docs at /api/docs, pages at /."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

from boomerang.bootstrap import SessionFactory, bootstrap, limit_storage, sign_in_failures
from boomerang.config import Settings
from boomerang.entrypoints import probes
from boomerang.entrypoints.api.body_limit import BodyLimitMiddleware
from boomerang.entrypoints.api.caller import CallerMiddleware
from boomerang.entrypoints.api.errors import install_error_handlers
from boomerang.entrypoints.api.middleware import IdempotencyMiddleware, RateLimitMiddleware, UnstorableTextGuard
from boomerang.entrypoints.api.retry import TransactionRetryMiddleware
from boomerang.entrypoints.api.routers import admin, products, returns
from boomerang.entrypoints.api.routers import billing as billing_routes
from boomerang.entrypoints.api.routers import integrations as integrations_routes
from boomerang.entrypoints.api.routers import inventory as inventory_routes
from boomerang.entrypoints.api.routers import labels as labels_routes
from boomerang.entrypoints.api.routers import processing as processing_routes
from boomerang.entrypoints.api.routers import shipments as shipments_routes
from boomerang.entrypoints.api.routers import warehouse as warehouse_routes
from boomerang.entrypoints.api.routers import webhooks as webhooks_routes
from boomerang.entrypoints.api.routers import work_orders as work_orders_routes
from boomerang.entrypoints.api.schemas.common import ERROR_RESPONSES as ERROR_RESPONSES_DOC
from boomerang.entrypoints.api.urls import API_PREFIX
from boomerang.entrypoints.compat.shipbob.app import mount_shipbob_compat
from boomerang.entrypoints.web.app import mount_web
from boomerang.entrypoints.web.security import SecurityHeadersMiddleware
from boomerang.services.clock import Clock, utcnow

ROUTERS = [admin.router, products.router, returns.router]
ROUTERS += [webhooks_routes.router, integrations_routes.router]
ROUTERS.insert(ROUTERS.index(returns.router), labels_routes.router)  # /returns/rates before /returns/{id}
ROUTERS += [work_orders_routes.router, billing_routes.router]
ROUTERS += [shipments_routes.router, warehouse_routes.router, processing_routes.router, inventory_routes.router]


def create_app(
    settings: Settings | None = None,
    session_factory: SessionFactory | None = None,
    clock: Clock = utcnow,
) -> FastAPI:
    wiring = bootstrap(settings, session_factory)
    settings, session_factory = wiring.settings, wiring.session_factory
    app = FastAPI(
        title="Boomerang",
        version="1.0.0",
        summary="Returns management for e-commerce fulfillment warehouses",
        openapi_url="/api/openapi.json",
        docs_url=None,  # served offline by the web layer (entrypoints/web/routes/api_docs.py)
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.session_factory = session_factory
    app.state.clock = clock
    app.state.uow_factory = wiring.uow_factory(clock)
    counters = limit_storage(settings)  # one storage: the API rate limit and the sign-in throttle
    app.state.sign_in_failures = sign_in_failures(counters)
    install_error_handlers(app)
    api = APIRouter(prefix=API_PREFIX, responses=ERROR_RESPONSES_DOC)
    for router in ROUTERS:
        api.include_router(router)
    app.include_router(api)
    mount_web(app)

    @app.get("/healthz", include_in_schema=False)
    def health() -> dict[str, str]:
        return {"status": "ok"}

    app.include_router(probes.router)  # GET /readyz

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
    # Outside the limiter and the body cap: who is calling is known before either runs (entrypoints/api/caller.py).
    app.add_middleware(CallerMiddleware)
    mount_shipbob_compat(app)  # after the rate limiter: reshapes its 429s under /compat/shipbob
    app.add_middleware(SecurityHeadersMiddleware)  # outermost: every response carries the headers
    return app
