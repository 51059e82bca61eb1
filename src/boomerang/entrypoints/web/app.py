"""Mount the web pages on the API's FastAPI app: static files, offline API docs, page routes, error pages."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles

from boomerang.entrypoints.web.errors import install_page_errors
from boomerang.entrypoints.web.routes import auth, billing, overview, products, quarantine, returns, settings
from boomerang.entrypoints.web.routes.api_docs import mount_api_docs
from boomerang.entrypoints.web.station import ROUTERS as STATION_ROUTERS

STATIC = Path(__file__).parent / "static"
# Page routers, one per area; the operator station adds its own here.
PAGE_ROUTERS: list[APIRouter] = [auth.router, overview.router, returns.router, products.router]
PAGE_ROUTERS += [quarantine.router, billing.router, settings.router, *STATION_ROUTERS]


def mount_web(app: FastAPI) -> None:
    """Call after the API's routers and error handlers (page errors wrap the API's handlers)."""
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    mount_api_docs(app)
    for router in PAGE_ROUTERS:
        app.include_router(router, include_in_schema=False)
    install_page_errors(app)
