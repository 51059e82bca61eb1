"""ShipBob's error shapes, per operation as the contract documents them; /api/v1 is not affected.

create: 400 ProblemDetails (malformed request), 422 ApiError (validation, duplicate reference_id);
list: 400 ProblemDetails; get: 404 ProblemDetails; edit: 404, else 422 ApiError;
cancel: 400 ProblemDetails for everything (the contract has no 404 there); channels: 400 ErrorResponse.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from boomerang.domain.error_codes import CommonErrorCode, ErrorCode
from boomerang.domain.errors import DomainError, Forbidden, NotFound
from boomerang.entrypoints.http.retry import note_database_error
from boomerang.services.auth import Unauthenticated
from boomerang.services.storage_errors import DatabaseUnavailable

CREATE, LIST, GET, EDIT, CANCEL, CHANNELS = (
    "create-return-order",
    "get-return-orders",
    "get-return-order",
    "edit-return-order",
    "cancel-return-order",
    "get-channels",
)
TITLES = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed"}
TITLES |= {422: "Unprocessable Content", 429: "Too Many Requests", 503: "Service Unavailable"}


class BadRequest(DomainError):
    """A malformed request (header, query parameter or JSON), as opposed to a rule it breaks."""

    code: ErrorCode = CommonErrorCode.BAD_REQUEST


def problem(
    status: int, detail: str, instance: str | None = None, headers: dict[str, str] | None = None
) -> JSONResponse:
    body = {
        "type": f"https://httpstatuses.io/{status}",
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "instance": instance,
    }
    return JSONResponse(body, status_code=status, headers=headers)


def api_error(error: DomainError) -> JSONResponse:
    errors = [f"{d.field}: {d.message}" for d in error.details] or [error.message]
    # never null: the contract's `oneOf [any, null]` makes null match twice, which is invalid
    details = [{"field": d.field, "message": d.message} for d in error.details]
    body = {"message": error.message, "errors": errors, "details": details, "stackTrace": None}
    return JSONResponse(body, status_code=422)


def channel_error(error: DomainError) -> JSONResponse:
    fields: dict[str, list[str]] = {}
    for d in error.details:
        fields.setdefault(d.field, []).append(d.message)
    return JSONResponse(fields or {"request": [error.message]}, status_code=400)


def _operation(request: Request) -> str | None:
    route = request.scope.get("route")
    return getattr(route, "operation_id", None)


def respond(request: Request, error: DomainError) -> JSONResponse:
    """The status and shape `error` takes in the operation that raised it."""
    operation, instance = _operation(request), request.url.path
    if isinstance(error, Unauthenticated):
        return problem(401, error.message, instance, {"WWW-Authenticate": "Bearer"})
    if isinstance(error, Forbidden):
        return problem(403, error.message, instance)
    if operation == CREATE:
        return problem(400, error.message, instance) if isinstance(error, BadRequest) else api_error(error)
    if operation == EDIT:
        return problem(404, error.message, instance) if isinstance(error, NotFound) else api_error(error)
    if operation == CHANNELS:
        return channel_error(error)
    if isinstance(error, NotFound) and operation in (GET, LIST):
        return problem(404, error.message, instance)
    return problem(400, error.message, instance)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain(request: Request, error: DomainError) -> JSONResponse:
        return respond(request, error)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, error: RequestValidationError) -> JSONResponse:
        messages = "; ".join(str(p.get("msg", "invalid")) for p in error.errors())
        return respond(request, BadRequest(messages or "the request is not valid"))

    @app.exception_handler(DatabaseUnavailable)
    async def _database(request: Request, error: DatabaseUnavailable) -> JSONResponse:
        note_database_error(error)
        retry = str(request.app.state.settings.db_retry_after_seconds)
        detail = "the database is unavailable; nothing was changed, retry later"
        return problem(503, detail, request.url.path, {"Retry-After": retry, "x-retry-after": retry})

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException) -> JSONResponse:
        detail = error.detail if isinstance(error.detail, str) else TITLES.get(error.status_code, "Error")
        headers: dict[str, Any] | None = getattr(error, "headers", None)
        return problem(error.status_code, detail, request.url.path, headers)
