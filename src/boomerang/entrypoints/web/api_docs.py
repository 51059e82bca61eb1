"""/api/docs without a CDN: Swagger UI's assets come from the fastapi-offline package, served by us."""

from __future__ import annotations

from pathlib import Path

import fastapi_offline
from fastapi import APIRouter, FastAPI, Request
from fastapi.staticfiles import StaticFiles
from starlette.responses import Response

from boomerang.entrypoints.web.templating import templates

ASSETS = Path(fastapi_offline.__file__).parent / "static"
router = APIRouter(include_in_schema=False)


@router.get("/api/docs")
def api_docs(request: Request) -> Response:
    return templates.TemplateResponse(request, "api_docs.html", {"openapi_url": "/api/openapi.json"})


def mount_api_docs(app: FastAPI) -> None:
    app.mount("/api/docs/assets", StaticFiles(directory=ASSETS), name="api-docs-assets")
    app.include_router(router)
