"""What the shared middleware would answer in /api/v1's shape, answered in ShipBob's under the mount.

- 429 from the shared per-credential limiter (one API key, one budget across both APIs) becomes
  ProblemDetails with ShipBob's `x-retry-after` and `x-remaining-calls` headers.
- 413 from the shared body cap becomes ProblemDetails too, and so do the other answers the shared middleware
  gives before any route runs (401 for a large body without a credential, 408 for a body sent too slowly,
  503 when the database cannot tell who is calling): they are marked EDGE_ANSWER in the scope.
- A NUL character in the path or query (which the shared guard answers with our 422) gets the
  status the contract documents for that operation; operations that read no query ignore it.
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from boomerang.entrypoints.http.edge_answers import EDGE_ANSWER

NUL = (b"%00", b"\x00")


def _has_nul(raw: bytes) -> bool:
    return any(n in raw for n in NUL)


def _problem(status: int, detail: str, path: str) -> bytes:
    titles = {400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 408: "Request Timeout"}
    titles |= {413: "Payload Too Large", 429: "Too Many Requests", 503: "Service Unavailable"}
    body = {"type": f"https://httpstatuses.io/{status}", "title": titles[status], "status": status}
    return json.dumps({**body, "detail": detail, "instance": path}).encode()


async def _answer(send: Send, status: int, body: bytes, headers: list[tuple[bytes, bytes]] | None = None) -> None:
    head = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), *(headers or [])]
    await send({"type": "http.response.start", "status": status, "headers": head})
    await send({"type": "http.response.body", "body": body})


class ShipBobEdge:
    def __init__(self, app: ASGIApp, prefix: str) -> None:
        self.app = app
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.prefix + "/"):
            await self.app(scope, receive, send)
            return
        path, method = scope["path"], scope["method"]
        raw_path = bytes(scope.get("raw_path") or path.encode())
        if _has_nul(raw_path) or "\x00" in path:
            status = 400 if path.endswith(":cancel") else 404
            await _answer(send, status, _problem(status, "no such resource", path))
            return
        if _has_nul(bytes(scope.get("query_string", b""))):
            if method == "GET" and path.endswith("/channel"):
                await _answer(send, 400, json.dumps({"request": ["NUL in the query string"]}).encode())
                return
            if method == "GET" and path.endswith("/return"):
                await _answer(send, 400, _problem(400, "NUL in the query string", path))
                return
            scope = {**scope, "query_string": b""}  # the other operations read no query parameters
        await self.app(scope, receive, _reshaping_edge_errors(send, path, scope))


_KEPT_HEADERS = (b"retry-after", b"www-authenticate", b"connection")
_EDGE_DETAILS = {
    401: "send Authorization: Bearer <token> with a large body",
    408: "the request body arrived too slowly",
    503: "the service is unavailable; retry later",
}


def _reshaping_edge_errors(send: Send, path: str, scope: Scope) -> Send:
    """429 of the rate limiter and 413 of the body cap (both answered before the mount) as ProblemDetails."""
    reshaped = False

    async def reshape(message: Message) -> None:
        nonlocal reshaped
        if message["type"] == "http.response.start" and message["status"] == 429:
            reshaped = True
            retry = _retry_after(message)
            detail = f"too many requests; retry after {retry.decode()} seconds"
            headers = [(b"retry-after", retry), (b"x-retry-after", retry), (b"x-remaining-calls", b"0")]
            await _answer(send, 429, _problem(429, detail, path), headers)
        elif message["type"] == "http.response.start" and message["status"] == 413:
            reshaped = True
            await _answer(send, 413, _problem(413, "the request body is too large", path), [(b"connection", b"close")])
        elif message["type"] == "http.response.start" and scope.get(EDGE_ANSWER):
            reshaped = True
            status = message["status"]
            kept = [(k, v) for k, v in message.get("headers", []) if k.lower() in _KEPT_HEADERS]
            await _answer(send, status, _problem(status, _EDGE_DETAILS.get(status, "refused"), path), kept)
        elif not reshaped:
            await send(message)

    return reshape


def _retry_after(message: Message) -> bytes:
    for key, value in message.get("headers", []):
        if key.lower() == b"retry-after":
            return bytes(value)
    return b"60"
