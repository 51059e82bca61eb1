"""Signed cookies and CSRF tokens (the security headers every response carries are the host's:
entrypoints/http/security_headers.py)."""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlsplit

from itsdangerous import BadSignature, Signer
from starlette.requests import Request
from starlette.responses import Response

SESSION_COOKIE = "boomerang_session"
PRESESSION_COOKIE = "boomerang_presession"
FLASH_COOKIE = "boomerang_flash"
CSRF_FIELD = "csrf_token"


def _signer(request: Request, salt: str) -> Signer:
    return Signer(request.app.state.settings.secret_key, salt=salt)


def sign(request: Request, value: str, salt: str = "boomerang-session") -> str:
    return _signer(request, salt).sign(value).decode()


def unsign(request: Request, value: str | None, salt: str = "boomerang-session") -> str | None:
    if not value:
        return None
    try:
        return _signer(request, salt).unsign(value).decode()
    except BadSignature:
        return None


def secure_cookies(request: Request) -> bool:
    return bool(request.app.state.settings.environment != "development")


def set_cookie(request: Request, response: Response, name: str, value: str, max_age: int | None = None) -> None:
    response.set_cookie(
        name, value, max_age=max_age, httponly=True, samesite="lax", secure=secure_cookies(request), path="/"
    )


def csrf_binding(request: Request) -> str | None:
    """What the CSRF token is bound to: the session, or before sign-in the pre-session cookie."""
    session = getattr(request.state, "web_session", None)
    if session is not None:
        return str(session.session_id)
    return unsign(request, request.cookies.get(PRESESSION_COOKIE), salt="boomerang-presession")


def new_presession(request: Request) -> tuple[str, str]:
    """A fresh pre-session value and its signed cookie form."""
    value = secrets.token_urlsafe(24)
    return value, sign(request, value, salt="boomerang-presession")


def csrf_token_for(request: Request, binding: str | None = None) -> str:
    binding = binding or csrf_binding(request)
    if binding is None:
        return ""
    return _signer(request, "boomerang-csrf").get_signature(binding).decode()


def csrf_token_is_valid(request: Request, token: str | None) -> bool:
    expected = csrf_token_for(request)
    return bool(token) and bool(expected) and hmac.compare_digest(expected.encode(), (token or "").encode())


def safe_next(target: str | None, default: str = "/") -> str:
    """Only same-site paths: `/returns?q=x` yes; `//evil.example`, `https://…`, `/\\evil` no."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(ord(c) < 32 for c in target):
        return default
    return target
