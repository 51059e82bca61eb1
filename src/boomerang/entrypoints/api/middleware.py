"""Cross-cutting HTTP behaviour: per-credential rate limits and Idempotency-Key replays."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import State
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from boomerang.entrypoints.api.errors import error_response
from boomerang.services.auth import SYSTEM
from boomerang.services.unit_of_work import UnitOfWork

STALE_IN_FLIGHT = timedelta(minutes=5)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return str(value.decode("latin-1"))
    return None


def credential_key(scope: Scope) -> str | None:
    auth = _header(scope, b"authorization")
    return hashlib.sha256(auth.encode()).hexdigest()[:32] if auth else None


class UnstorableTextGuard:
    """A NUL character in the path or query string can never match anything and PostgreSQL refuses it: 422."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and _has_nul(scope):
            response = error_response(422, "validation_error", "the path or query string contains a NUL character")
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _has_nul(scope: Scope) -> bool:
    raw = bytes(scope.get("raw_path") or b"") + b"?" + bytes(scope.get("query_string", b""))
    return b"%00" in raw or b"\x00" in raw or "\x00" in scope.get("path", "")


class RateLimitMiddleware:
    """Fixed one-minute windows per credential; 429 with Retry-After when over the limit."""

    def __init__(self, app: ASGIApp, per_minute: int, now: Callable[[], float] = time.time) -> None:
        self.app = app
        self.per_minute = per_minute
        self.now = now
        self.windows: dict[str, tuple[int, int]] = {}
        self.lock = threading.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = credential_key(scope) if scope["type"] == "http" else None
        if self.per_minute <= 0 or key is None:
            await self.app(scope, receive, send)
            return
        now = self.now()
        window = int(now // 60)
        with self.lock:
            start, count = self.windows.get(key, (window, 0))
            if start != window:
                start, count = window, 0
            count += 1
            self.windows[key] = (start, count)
            if len(self.windows) > 100_000:
                self.windows = {k: v for k, v in self.windows.items() if v[0] == window}
        if count > self.per_minute:
            retry_after = str(max(1, int((window + 1) * 60 - now)))
            response = error_response(
                429,
                "rate_limited",
                f"more than {self.per_minute} requests a minute",
                headers={"Retry-After": retry_after},
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


class IdempotencyMiddleware:
    """A POST with an Idempotency-Key runs once per credential; repeats replay its response."""

    def __init__(self, app: ASGIApp, state: State) -> None:
        self.app = app
        # Read at call time: the application's database and clock are in its state.
        self.state = state

    def _uow(self) -> UnitOfWork:
        return UnitOfWork(self.state.session_factory, SYSTEM, self.state.clock, self.state.settings)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = _header(scope, b"idempotency-key") if scope["type"] == "http" and scope["method"] == "POST" else None
        credential = credential_key(scope)
        if not key or credential is None:
            await self.app(scope, receive, send)
            return
        if len(key) > 255:
            await error_response(422, "validation_error", "Idempotency-Key is at most 255 characters")(
                scope, receive, send
            )
            return
        body = await _read_body(receive)
        request_hash = hashlib.sha256(
            b"\n".join([scope["path"].encode(), scope.get("query_string", b""), body])
        ).hexdigest()
        existing = await run_in_threadpool(self._claim, credential, key, request_hash)
        if existing is not None:
            await self._answer_existing(existing, request_hash, scope, receive, send)
            return
        try:
            captured = await _run_capturing(self.app, scope, body, send)
        except BaseException:
            await run_in_threadpool(self._finish, credential, key, {"status": 500})
            raise
        await run_in_threadpool(self._finish, credential, key, captured)

    def _claim(self, credential: str, key: str, request_hash: str) -> Any:
        with self._uow() as uow:
            existing = uow.idempotency.claim(credential, key, request_hash, uow.now)
            if (
                existing is not None
                and existing.state == "InFlight"
                and existing.created_at < uow.now - STALE_IN_FLIGHT
            ):
                uow.idempotency.release(credential, key)
                existing = uow.idempotency.claim(credential, key, request_hash, uow.now)
            uow.commit()
            return existing

    def _finish(self, credential: str, key: str, captured: dict[str, Any]) -> None:
        with self._uow() as uow:
            status = captured.get("status", 500)
            if status >= 500 or status in (401, 429):
                uow.idempotency.release(credential, key)
            else:
                uow.idempotency.finish(
                    credential, key, status, captured["body"].decode("utf-8", "replace"), captured["headers"]
                )
            uow.commit()

    async def _answer_existing(self, row: Any, request_hash: str, scope: Scope, receive: Receive, send: Send) -> None:
        if row.request_hash != request_hash:
            response = error_response(
                422, "idempotency_key_reused", "this Idempotency-Key was used with a different request"
            )
        elif row.state != "Done":
            response = error_response(
                409, "idempotency_key_in_use", "a request with this Idempotency-Key is still running"
            )
        else:
            await send(
                {
                    "type": "http.response.start",
                    "status": row.response_status,
                    "headers": [(k.encode(), v.encode()) for k, v in (row.response_headers or {}).items()]
                    + [(b"idempotent-replayed", b"true")],
                }
            )
            await send({"type": "http.response.body", "body": row.response_body.encode()})
            return
        await response(scope, receive, send)


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


async def _run_capturing(app: ASGIApp, scope: Scope, body: bytes, send: Send) -> dict[str, Any]:
    captured: dict[str, Any] = {"body": b"", "headers": {}}
    sent = False

    async def replay_receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def capture_send(message: Message) -> None:
        if message["type"] == "http.response.start":
            captured["status"] = message["status"]
            captured["headers"] = {
                k.decode(): v.decode()
                for k, v in message.get("headers", [])
                if k.lower() in (b"content-type", b"etag", b"location")
            }
        elif message["type"] == "http.response.body":
            captured["body"] += message.get("body", b"")
        await send(message)

    await app(scope, replay_receive, capture_send)
    return captured
