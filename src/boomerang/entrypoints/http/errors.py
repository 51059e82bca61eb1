"""The one place that maps errors to HTTP statuses, and the JSON envelope of API.md every API error carries
(pages render the same statuses as HTML: web/errors.py; the ShipBob mount in its shapes: compat/shipbob/errors.py)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from boomerang.domain.error_codes import AuthErrorCode, CommonErrorCode
from boomerang.domain.errors import (
    Conflict,
    DomainError,
    FieldError,
    Forbidden,
    NotFound,
    PayloadTooLarge,
    PreconditionFailed,
    ValidationFailed,
)
from boomerang.entrypoints.http.retry import note_database_error
from boomerang.services.auth import Unauthenticated
from boomerang.services.storage_errors import DatabaseUnavailable

# Answered in JSON (the API's envelope, or the ShipBob mount's shapes); every other path is a page.
API_PATHS = ("/api/", "/compat/")

STATUS_BY_ERROR: list[tuple[type[DomainError], int]] = [
    (Unauthenticated, 401),
    (Forbidden, 403),
    (NotFound, 404),
    (Conflict, 409),
    (PreconditionFailed, 412),
    (PayloadTooLarge, 413),
    (ValidationFailed, 422),
]

HTTP_CODES = {
    400: CommonErrorCode.BAD_REQUEST,
    401: AuthErrorCode.UNAUTHENTICATED,
    403: CommonErrorCode.FORBIDDEN,
    404: CommonErrorCode.NOT_FOUND,
    405: CommonErrorCode.METHOD_NOT_ALLOWED,
    406: CommonErrorCode.NOT_ACCEPTABLE,
    408: CommonErrorCode.REQUEST_TIMEOUT,
    409: CommonErrorCode.CONFLICT,
    412: CommonErrorCode.PRECONDITION_FAILED,
    413: CommonErrorCode.PAYLOAD_TOO_LARGE,
    415: CommonErrorCode.UNSUPPORTED_MEDIA_TYPE,
    422: CommonErrorCode.VALIDATION_ERROR,
    429: AuthErrorCode.RATE_LIMITED,
    503: CommonErrorCode.SERVICE_UNAVAILABLE,
}


def is_api_path(path: str) -> bool:
    return path.startswith(API_PATHS)


def error_response(
    status: int, code: str, message: str, details: list[FieldError] | None = None, headers: dict[str, str] | None = None
) -> JSONResponse:
    body = {
        "error": {
            "code": code,
            "message": message,
            "details": [{"field": d.field, "message": d.message} for d in details or []],
        }
    }
    return JSONResponse(body, status_code=status, headers=headers)


def database_unavailable(retry_after: int) -> JSONResponse:
    """503: the database cannot be reached right now; nothing was changed, the request may be retried."""
    return error_response(
        503,
        CommonErrorCode.DATABASE_UNAVAILABLE,
        "the database is unavailable; nothing was changed, retry later",
        headers={"Retry-After": str(retry_after)},
    )


def status_for(error: DomainError) -> int:
    for cls, status in STATUS_BY_ERROR:
        if isinstance(error, cls):
            return status
    return 400


def _field_path(loc: tuple[Any, ...]) -> str:
    path = ""
    for part in loc:
        if part in ("body", "query", "path", "header"):
            continue
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += ("." if path else "") + str(part)
    return path or "body"


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain(_: Request, error: DomainError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if isinstance(error, Unauthenticated) else None
        return error_response(status_for(error), error.code, error.message, error.details, headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, error: RequestValidationError) -> JSONResponse:
        problems = error.errors()
        if any(p.get("type") == "json_invalid" for p in problems):
            return error_response(400, CommonErrorCode.MALFORMED_JSON, "the request body is not valid JSON")
        details = [FieldError(_field_path(tuple(p.get("loc", ()))), str(p.get("msg", "invalid"))) for p in problems]
        if any(
            p.get("loc", ())[:1] == ("body",) and p.get("type") in ("missing",) and len(p.get("loc", ())) == 1
            for p in problems
        ):
            return error_response(400, CommonErrorCode.MALFORMED_BODY, "the request needs a JSON body", details)
        return error_response(422, CommonErrorCode.VALIDATION_ERROR, "the request is not valid", details)

    @app.exception_handler(DatabaseUnavailable)
    async def _database(request: Request, error: DatabaseUnavailable) -> JSONResponse:
        note_database_error(error)
        return database_unavailable(request.app.state.settings.db_retry_after_seconds)

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, error: Exception) -> JSONResponse:
        # Always a bug; still answered in the envelope so clients can parse it.
        return error_response(500, CommonErrorCode.INTERNAL_ERROR, "an unexpected error occurred")

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, error: StarletteHTTPException) -> JSONResponse:
        code = HTTP_CODES.get(error.status_code, "error")
        message = error.detail if isinstance(error.detail, str) else code.replace("_", " ")
        return error_response(error.status_code, code, message, headers=getattr(error, "headers", None))
