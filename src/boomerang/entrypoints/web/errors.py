"""Error pages: page requests get HTML (404/403/429/500…), API requests keep the JSON envelope."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import RedirectResponse, Response

from boomerang.domain.errors import DomainError
from boomerang.entrypoints.http.errors import status_for
from boomerang.entrypoints.http.retry import note_database_error
from boomerang.entrypoints.web.deps import CsrfRejected, LoginRequired, WrongArea
from boomerang.entrypoints.web.templating import page
from boomerang.services.storage_errors import DatabaseUnavailable

log = logging.getLogger("boomerang.web")
NOT_PAGES = ("/api", "/compat", "/healthz", "/readyz", "/static")
TITLES = {
    400: "Bad request",
    403: "Forbidden",
    404: "Page not found",
    405: "Not allowed",
    409: "Conflict",
    413: "Too large",
    422: "Not valid",
    429: "Too many attempts",
    500: "Something went wrong",
    503: "Service unavailable",
}
Handler = Callable[[Request, Any], Awaitable[Response]]


def is_page_request(request: Request) -> bool:
    path = request.url.path
    return not any(path == p or path.startswith(p + "/") for p in NOT_PAGES)


def error_page(request: Request, status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    title = TITLES.get(status, "Error")
    response = page(request, "error.html", {"title": title, "status": status, "message": message}, status_code=status)
    response.headers.update(headers or {})
    return response


def install_page_errors(app: FastAPI) -> None:
    """Wrap the API's handlers: same errors, HTML for pages."""
    api_handlers = dict(app.exception_handlers)

    def for_pages(kind: type[Exception], render: Handler) -> None:
        api = api_handlers.get(kind)

        async def handler(request: Request, error: Any) -> Response:
            if is_page_request(request) or api is None:
                return await render(request, error)
            return await api(request, error)

        app.add_exception_handler(kind, handler)

    async def domain(request: Request, error: DomainError) -> Response:
        return error_page(request, status_for(error), error.message)

    async def http(request: Request, error: StarletteHTTPException) -> Response:
        messages = {404: "There is no page at this address, or it is not yours to see."}
        detail = error.detail if isinstance(error.detail, str) else ""
        return error_page(request, error.status_code, messages.get(error.status_code, detail))

    async def invalid(request: Request, error: RequestValidationError) -> Response:
        fields = ", ".join(str(p.get("loc", ("?",))[-1]) for p in error.errors())
        return error_page(request, 422, f"Some values are not valid: {fields}.")

    async def database(request: Request, error: DatabaseUnavailable) -> Response:
        note_database_error(error)  # a page's transaction conflict is run again like an API request's
        retry_after = str(request.app.state.settings.db_retry_after_seconds)
        message = "The database cannot be reached right now; nothing was changed. Try again in a minute."
        return error_page(request, 503, message, {"Retry-After": retry_after})

    async def unexpected(request: Request, error: Exception) -> Response:
        log.exception("page failed", exc_info=error)
        return error_page(request, 500, "The error was logged. Try again, or go back to the previous page.")

    for_pages(DomainError, domain)
    for_pages(StarletteHTTPException, http)
    for_pages(RequestValidationError, invalid)
    for_pages(DatabaseUnavailable, database)
    for_pages(Exception, unexpected)

    @app.exception_handler(LoginRequired)
    async def login_required(_: Request, error: LoginRequired) -> Response:
        return RedirectResponse(f"/login?next={error.next_path}", status_code=303)

    @app.exception_handler(WrongArea)
    async def wrong_area(_: Request, error: WrongArea) -> Response:
        return RedirectResponse(error.home, status_code=303)

    @app.exception_handler(CsrfRejected)
    async def csrf(request: Request, _: CsrfRejected) -> Response:
        return error_page(request, 403, "The form had expired or did not come from this site. Reload and try again.")
