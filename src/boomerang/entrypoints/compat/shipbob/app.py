"""The compat mount: its own FastAPI app, so its error shapes never touch /api/v1's envelope."""

from __future__ import annotations

from fastapi import FastAPI

from boomerang.entrypoints.compat.shipbob import lookups, router
from boomerang.entrypoints.compat.shipbob.edge import ShipBobEdge
from boomerang.entrypoints.compat.shipbob.errors import install_error_handlers

PREFIX = "/compat/shipbob"


def create_shipbob_app(parent: FastAPI) -> FastAPI:
    """Shares the parent's settings, database and clock; the contract file is its documentation."""
    app = FastAPI(title="Boomerang ShipBob-compatible Returns API", openapi_url=None, docs_url=None, redoc_url=None)
    app.state = parent.state  # one State object: the mount always sees the parent's current wiring
    install_error_handlers(app)
    app.include_router(router.router)
    app.include_router(lookups.router)
    return app


def mount_shipbob_compat(app: FastAPI) -> None:
    """Mount at /compat/shipbob; call last, so ShipBob-shaped answers wrap the shared middleware."""
    app.mount(PREFIX, create_shipbob_app(app))
    app.add_middleware(ShipBobEdge, prefix=PREFIX)
