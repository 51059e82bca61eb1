"""The security headers every response carries (API, pages, ShipBob mount, probes)."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

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
