"""Request bodies are read here, once, before anything parses them: capped, timed, and only from a known caller.

- **Who may send a large body.** A body over `max_anonymous_body_bytes` (64 KB) is read only from a caller
  CallerMiddleware authenticated (a bearer token or a live dashboard session): anyone else is answered
  401 (API) or the 403 page before a byte of it is read, and the connection is closed. Sign-in forms and
  the signed AfterShip/Loop webhooks (authenticated by a signature over the body itself) are the
  exceptions: they stay within their caps.
- **How much.** A declared Content-Length over the cap is refused (413) before a byte is read; a chunked
  body as soon as it passes the cap.
- **How slowly.** A body must keep arriving: it may take `body_grace_seconds` plus one second per
  `min_body_bytes_per_second` received. A slower one is answered 408 `request_timeout` and its
  connection closed, so a slow sender holds neither a worker nor memory, and a stopping server waits
  for no such body.
- **Where it is kept.** In memory up to 1 MB while the process's budget for bodies
  (`max_buffered_body_bytes`) lasts, on disk beyond (buffered_body.py); every later middleware and the
  application read it from there.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import anyio
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from boomerang.domain.error_codes import AuthErrorCode, CommonErrorCode
from boomerang.entrypoints.http.buffered_body import SCOPE_KEY, BodyMemoryBudget, RequestBody
from boomerang.entrypoints.http.caller import caller_of
from boomerang.entrypoints.http.edge_answers import EDGE_ANSWER, refusal
from boomerang.entrypoints.http.errors import error_response, is_api_path

IN_MEMORY_SHARE = 1024 * 1024  # the most of one body kept in memory
# A multipart body is parsed to temporary files anyway (its file parts): it keeps little in memory.
MULTIPART_IN_MEMORY_SHARE = 64 * 1024
# Bodies read from a caller without a credential, whatever their size: they authenticate by the body itself.
SIGNED_BODY_PATHS = ("/api/v1/integrations/aftership/", "/api/v1/integrations/loop/")


class BodyTooLarge(Exception):
    """The body passed its cap while being read."""


class BodyTooSlow(Exception):
    """The body stopped arriving fast enough."""


class BodyLimitMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body_bytes: int,
        max_multipart_bytes: int,
        max_csv_bytes: int | None = None,
        max_anonymous_body_bytes: int = 64 * 1024,
        max_buffered_body_bytes: int = 64 * 1024 * 1024,
        body_grace_seconds: float = 10.0,
        min_body_bytes_per_second: int = 32 * 1024,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_multipart_bytes = max_multipart_bytes
        self.max_csv_bytes = max_body_bytes if max_csv_bytes is None else max_csv_bytes
        self.max_anonymous_body_bytes = max_anonymous_body_bytes
        self.budget = BodyMemoryBudget(max_buffered_body_bytes)
        self.grace = body_grace_seconds
        self.min_rate = max(1, min_body_bytes_per_second)
        self.clock = clock

    def cap_for(self, scope: Scope) -> int:
        content_type = (_header(scope, b"content-type") or "").lower()
        if _is_multipart(scope):
            return self.max_multipart_bytes
        if content_type.split(";")[0].strip() in ("text/csv", "application/csv"):
            return self.max_csv_bytes
        return self.max_body_bytes

    @staticmethod
    def in_memory_share(scope: Scope) -> int:
        return MULTIPART_IN_MEMORY_SHARE if _is_multipart(scope) else IN_MEMORY_SHARE

    def anonymous_cap_for(self, scope: Scope, cap: int) -> int:
        """What this request may send: its cap with a credential, far less without one."""
        caller = caller_of(scope)
        if caller is None or caller.authenticated or scope["path"].startswith(SIGNED_BODY_PATHS):
            return cap
        return min(cap, self.max_anonymous_body_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cap = self.cap_for(scope)
        allowed = self.anonymous_cap_for(scope, cap)
        declared = _header(scope, b"content-length")
        if declared is not None and not declared.strip().isdigit():
            await error_response(400, CommonErrorCode.BAD_REQUEST, "Content-Length is not a number")(
                scope, receive, send
            )
            return
        if declared is not None and int(declared) > cap:
            await _too_large(cap)(scope, receive, send)
            return
        if declared is not None and int(declared) > allowed:
            await _unknown_caller(scope, allowed)(scope, receive, send)
            return
        share = self.budget.take(min(int(declared) if declared is not None else cap, self.in_memory_share(scope)))
        body = RequestBody(share, self.budget)
        try:
            refused = await self._read(receive, body, cap, allowed, scope)
            if refused is not None:
                scope[EDGE_ANSWER] = True
                await refused(scope, receive, send)
                return
            scope[SCOPE_KEY] = body
            await self.app(scope, body.replay(receive), send)
        finally:
            body.close()

    async def _read(self, receive: Receive, body: RequestBody, cap: int, allowed: int, scope: Scope) -> ASGIApp | None:
        """Read the whole body into `body`; the answer to give instead, if it may not be read."""
        try:
            await self._read_within(receive, body, allowed)
        except BodyTooLarge:
            return _too_large(cap) if allowed == cap else _unknown_caller(scope, allowed)
        except BodyTooSlow:
            return _too_slow()
        return None

    async def _read_within(self, receive: Receive, body: RequestBody, cap: int) -> None:
        started = self.clock()
        while True:
            deadline = started + self.grace + body.size / self.min_rate
            remaining = deadline - self.clock()
            if remaining <= 0:
                raise BodyTooSlow
            with anyio.move_on_after(remaining) as waited:
                message = await receive()
            if waited.cancelled_caught:
                raise BodyTooSlow
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            if body.size + len(chunk) > cap:
                raise BodyTooLarge
            body.write(chunk)
            if not message.get("more_body"):
                return


def _unknown_caller(scope: Scope, allowed: int) -> ASGIApp:
    """A large body from a caller without a credential: refused unread (401 for the API, 403 for pages)."""
    caller = caller_of(scope)
    request = Request(scope)
    scope[EDGE_ANSWER] = True
    if caller is not None and caller.unresolved:
        retry_after = str(request.app.state.settings.db_retry_after_seconds)
        message = "the database is unavailable; nothing was changed, retry later"
        code: str = CommonErrorCode.DATABASE_UNAVAILABLE
        response = refusal(request, 503, code, message, headers={"Retry-After": retry_after})
    elif is_api_path(scope["path"]):
        message = f"send Authorization: Bearer <token> with a body over {_size(allowed)}"
        response = error_response(401, AuthErrorCode.UNAUTHENTICATED, message, headers={"WWW-Authenticate": "Bearer"})
    else:
        message = "Sign in first: this form is only taken from a signed-in user."
        response = refusal(request, 403, CommonErrorCode.FORBIDDEN, message)
    response.headers["Connection"] = "close"
    return response


def _too_large(cap: int) -> ASGIApp:
    response = error_response(413, CommonErrorCode.PAYLOAD_TOO_LARGE, f"the request body is larger than {_size(cap)}")
    response.headers["Connection"] = "close"
    return response


def _too_slow() -> ASGIApp:
    response = error_response(
        408, CommonErrorCode.REQUEST_TIMEOUT, "the request body arrived too slowly; send it again on a new connection"
    )
    response.headers["Connection"] = "close"
    return response


def _size(n: int) -> str:
    if n >= 1024 * 1024 and n % (1024 * 1024) == 0:
        return f"{n // (1024 * 1024)} MB"
    if n >= 1024 and n % 1024 == 0:
        return f"{n // 1024} KB"
    return f"{n} bytes"


def _is_multipart(scope: Scope) -> bool:
    return (_header(scope, b"content-type") or "").lower().startswith("multipart/")


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return str(value.decode("latin-1"))
    return None
