"""Request bodies are capped while they stream in: 413 before any parsing or authentication.

A declared Content-Length over the cap is refused before a byte is read; a body without one (chunked)
is counted as its chunks arrive and refused as soon as it passes the cap. Only a body within the cap
is handed on (buffered, so at most the cap is ever held in memory per request).
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from boomerang.domain.error_codes import CommonErrorCode
from boomerang.entrypoints.api.buffered_body import replaying
from boomerang.entrypoints.api.errors import error_response


class BodyTooLarge(Exception):
    """The body passed its cap while being read."""


class BodyLimitMiddleware:
    def __init__(
        self, app: ASGIApp, *, max_body_bytes: int, max_multipart_bytes: int, max_csv_bytes: int | None = None
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_multipart_bytes = max_multipart_bytes
        self.max_csv_bytes = max_body_bytes if max_csv_bytes is None else max_csv_bytes

    def cap_for(self, scope: Scope) -> int:
        content_type = (_header(scope, b"content-type") or "").lower()
        if content_type.startswith("multipart/"):
            return self.max_multipart_bytes
        if content_type.split(";")[0].strip() in ("text/csv", "application/csv"):
            return self.max_csv_bytes
        return self.max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cap = self.cap_for(scope)
        declared = _header(scope, b"content-length")
        if declared is not None:
            if not declared.strip().isdigit():
                await error_response(400, CommonErrorCode.BAD_REQUEST, "Content-Length is not a number")(
                    scope, receive, send
                )
                return
            if int(declared) > cap:
                await _too_large(cap)(scope, receive, send)
                return
        try:
            body = await read_capped(receive, cap)
        except BodyTooLarge:
            await _too_large(cap)(scope, receive, send)
            return
        await self.app(scope, replaying(body, receive), send)


async def read_capped(receive: Receive, cap: int) -> bytes:
    """The whole body, or BodyTooLarge as soon as more than `cap` bytes have arrived."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > cap:
            raise BodyTooLarge
        chunks.append(chunk)
        if not message.get("more_body"):
            break
    return b"".join(chunks)


def _too_large(cap: int) -> ASGIApp:
    response = error_response(413, CommonErrorCode.PAYLOAD_TOO_LARGE, f"the request body is larger than {_size(cap)}")
    response.headers["Connection"] = "close"
    return response


def _size(n: int) -> str:
    if n >= 1024 * 1024 and n % (1024 * 1024) == 0:
        return f"{n // (1024 * 1024)} MB"
    if n >= 1024 and n % 1024 == 0:
        return f"{n // 1024} KB"
    return f"{n} bytes"


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return str(value.decode("latin-1"))
    return None
