"""GET /healthz: does the process answer? GET /readyz: may a load balancer send this process traffic?

Liveness (/healthz) restarts a process that stopped answering, so it must not depend on the database: a
database outage would otherwise restart every process for nothing. Readiness (/readyz) takes a process out
of rotation while its database is unreachable or its schema is behind the code, and back in once fixed.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from boomerang.bootstrap import readiness

router = APIRouter(include_in_schema=False)


@router.get("/healthz")
def health() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz")
def ready(request: Request) -> JSONResponse:
    """200 {"status": "ready", "checks": {…}}; else 503 {"status": "unavailable", "checks": {…}} and Retry-After."""
    state = request.app.state
    found = readiness(state.session_factory)
    headers = {"Cache-Control": "no-store"}
    if found.ready:
        return JSONResponse({"status": "ready", "checks": found.checks}, headers=headers)
    headers["Retry-After"] = str(state.settings.db_retry_after_seconds)
    return JSONResponse({"status": "unavailable", "checks": found.checks}, status_code=503, headers=headers)
