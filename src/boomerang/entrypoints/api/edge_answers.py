"""Answers given by the middleware, before any route runs: the JSON envelope for the API, the error page
for pages (the ShipBob mount reshapes the API's into ProblemDetails on its way out)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from boomerang.entrypoints.api.caller import is_api_path
from boomerang.entrypoints.api.errors import error_response
from boomerang.entrypoints.web.errors import error_page

# Set in the scope when the middleware answered before any route: the ShipBob edge reshapes such answers.
EDGE_ANSWER = "boomerang.answered_by_middleware"


def refusal(request: Request, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Response:
    if is_api_path(request.url.path):
        return error_response(status, code, message, headers=headers)
    response = error_page(request, status, message)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response
