"""The API's routes under /api/v1, mounted on the HTTP host; OpenAPI at /api/openapi.json."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

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
from boomerang.schemas.common import ERROR_RESPONSES as ERROR_RESPONSES_DOC
from boomerang.schemas.urls import API_PREFIX

ROUTERS = [admin.router, products.router, returns.router]
ROUTERS += [webhooks_routes.router, integrations_routes.router]
ROUTERS.insert(ROUTERS.index(returns.router), labels_routes.router)  # /returns/rates before /returns/{id}
ROUTERS += [work_orders_routes.router, billing_routes.router]
ROUTERS += [shipments_routes.router, warehouse_routes.router, processing_routes.router, inventory_routes.router]


def mount_api(app: FastAPI) -> None:
    """Every API route under API_PREFIX; errors answer the host's JSON envelope (entrypoints/http/errors.py)."""
    api = APIRouter(prefix=API_PREFIX, responses=ERROR_RESPONSES_DOC)
    for router in ROUTERS:
        api.include_router(router)
    app.include_router(api)
