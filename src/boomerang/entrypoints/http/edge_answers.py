"""Answers given by the middleware, before any route runs: the JSON envelope for the API, the error page
for pages (the ShipBob mount reshapes the API's into ProblemDetails on its way out).

The host injects how a page renders its error (`answer_pages_with`), so this module knows no client."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import Response

from boomerang.entrypoints.http.errors import error_response, is_api_path

# Set in the scope when the middleware answered before any route: the ShipBob edge reshapes such answers.
EDGE_ANSWER = "boomerang.answered_by_middleware"
# (request, status, message) -> the error page; in app.state under this name
ErrorPage = Callable[[Request, int, str], Response]
_ERROR_PAGE = "edge_error_page"


def answer_pages_with(app: FastAPI, error_page: ErrorPage) -> None:
    """What the middleware refuses to a page request is answered with `error_page`."""
    setattr(app.state, _ERROR_PAGE, error_page)


def refusal(request: Request, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Response:
    error_page: ErrorPage | None = getattr(request.app.state, _ERROR_PAGE, None) if "app" in request.scope else None
    if is_api_path(request.url.path) or error_page is None:
        return error_response(status, code, message, headers=headers)
    response = error_page(request, status, message)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response
