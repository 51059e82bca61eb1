"""Jinja2 templates, their filters, and the one function that renders a page."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

from fastapi.templating import Jinja2Templates
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from boomerang.domain.tenants import Role
from boomerang.entrypoints.web.security import FLASH_COOKIE, csrf_token_for, set_cookie, sign, unsign

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=str(HERE / "templates"))

MERCHANT_NAV = [
    ("/", "Overview"),
    ("/returns", "Returns"),
    ("/products", "Products"),
    ("/quarantine", "Quarantine"),
    ("/billing", "Billing"),
    ("/settings", "Settings"),
]
# The operator station adds its own entries here.
OPERATOR_NAV: list[tuple[str, str]] = [
    ("/station", "Receive"),
    ("/station/queue", "Queue"),
    ("/station/unidentified", "Unidentified"),
    ("/station/work-orders", "Work orders"),
]


def _when(value: datetime | None) -> str:
    return "" if value is None else value.strftime("%Y-%m-%d %H:%M UTC")


def _day(value: date | datetime | None) -> str:
    return "" if value is None else value.strftime("%Y-%m-%d")


def _words(value: Any) -> str:
    """`AwaitingArrival` -> `Awaiting arrival`."""
    text = str(getattr(value, "value", value) or "")
    out = "".join(f" {c.lower()}" if c.isupper() and i else c for i, c in enumerate(text))
    return out.replace("r t s", "RTS").replace("return to sender", "return to sender")


templates.env.filters["when"] = _when
templates.env.filters["day"] = _day
templates.env.filters["words"] = _words


def nav_for(request: Request) -> list[tuple[str, str]]:
    session = getattr(request.state, "web_session", None)
    if session is None:
        return []
    return OPERATOR_NAV if session.principal.role is Role.Operator else MERCHANT_NAV


def flash(request: Request, response: Response, message: str, kind: str = "success") -> None:
    """A one-time message shown on the next page (kept in a signed cookie)."""
    set_cookie(request, response, FLASH_COOKIE, sign(request, json.dumps([kind, message]), salt="boomerang-flash"))


def _pop_flash(request: Request) -> dict[str, str] | None:
    raw = unsign(request, request.cookies.get(FLASH_COOKIE), salt="boomerang-flash")
    if raw is None:
        return None
    try:
        kind, message = json.loads(raw)
    except (ValueError, TypeError):
        return None
    return {"kind": str(kind), "message": str(message)}


def page(
    request: Request, template: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> HTMLResponse:
    """Render `template` inside the base layout (navigation, flash message, Sign out)."""
    message = _pop_flash(request)
    session = getattr(request.state, "web_session", None)
    values = {
        "session": session,
        "nav": nav_for(request),
        "path": request.url.path,
        "csrf_token": csrf_token_for(request),
        "flash": message,
        **(context or {}),
    }
    response = templates.TemplateResponse(request, template, values, status_code=status_code)
    if request.cookies.get(FLASH_COOKIE):
        response.delete_cookie(FLASH_COOKIE, path="/")
    return response
