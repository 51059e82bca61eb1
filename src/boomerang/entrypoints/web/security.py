"""Signed cookies, CSRF tokens and the security headers every response carries."""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlsplit

from itsdangerous import BadSignature, Signer
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SESSION_COOKIE = "boomerang_session"
PRESESSION_COOKIE = "boomerang_presession"
FLASH_COOKIE = "boomerang_flash"
CSRF_FIELD = "csrf_token"

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]
# Where cookies are Secure the site is served over HTTPS only: browsers must never try http:// for a year.
STRICT_TRANSPORT_SECURITY = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")


class SecurityHeadersMiddleware:
    """Adds CSP (no inline script, no other origin), nosniff, frame-ancestors and Referrer-Policy; and HSTS
    wherever the session cookie is Secure (outside development: see `secure_cookies`)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = {name.lower(): value for name, value in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in headers]
                if _https_only(scope) and STRICT_TRANSPORT_SECURITY[0] not in headers:
                    extra.append(STRICT_TRANSPORT_SECURITY)
                if headers.get(b"content-type", b"").startswith(b"text/html") and b"cache-control" not in headers:
                    extra.append((b"cache-control", b"no-store"))  # Back after Sign out never shows a cached page
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _https_only(scope: Scope) -> bool:
    app = scope.get("app")
    settings = getattr(getattr(app, "state", None), "settings", None)
    return settings is not None and settings.environment != "development"


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
