"""Mount the web pages on the host's app: static files, offline API docs, page routes by audience, error pages."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles

from boomerang.entrypoints.web import auth
from boomerang.entrypoints.web.api_docs import mount_api_docs
from boomerang.entrypoints.web.dashboard import ROUTERS as DASHBOARD_ROUTERS
from boomerang.entrypoints.web.errors import install_page_errors
from boomerang.entrypoints.web.station import ROUTERS as STATION_ROUTERS

STATIC = Path(__file__).parent / "static"
# Page routers by audience: sign-in (everyone), the merchant dashboard, the operator station.
PAGE_ROUTERS: list[APIRouter] = [auth.router, *DASHBOARD_ROUTERS, *STATION_ROUTERS]


def mount_web(app: FastAPI) -> None:
    """Call after the API's routers and error handlers (page errors wrap the API's handlers)."""
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    mount_api_docs(app)
    for router in PAGE_ROUTERS:
        app.include_router(router, include_in_schema=False)
    install_page_errors(app)
