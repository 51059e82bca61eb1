"""Cross-cutting HTTP behaviour: per-caller rate limits and Idempotency-Key replays."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from fastapi.responses import JSONResponse
from limits import RateLimitItem, RateLimitItemPerMinute
from limits.storage import MemoryStorage, Storage
from limits.strategies import FixedWindowRateLimiter
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import State
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from boomerang.bootstrap import limit_storage_is_remote, request_transaction
from boomerang.domain.error_codes import AuthErrorCode, CommonErrorCode, IdempotencyErrorCode
from boomerang.entrypoints.http.buffered_body import RequestBody, read_body
from boomerang.entrypoints.http.caller import caller_of
from boomerang.entrypoints.http.edge_answers import refusal
from boomerang.entrypoints.http.errors import database_unavailable, error_response
from boomerang.entrypoints.http.retry import note_database_error
from boomerang.services import idempotency
from boomerang.services.storage_errors import DatabaseUnavailable, DuplicateRecord
from boomerang.services.unit_of_work import RequestTransaction

logger = logging.getLogger(__name__)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return str(value.decode("latin-1"))
    return None


def credential_key(scope: Scope) -> str | None:
    """The id of the credential that authenticated the request (never the header's spelling), if any."""
    caller = caller_of(scope)
    return caller.principal.credential_id if caller is not None and caller.principal is not None else None


class UnstorableTextGuard:
    """A NUL character in the path or query string can never match anything and PostgreSQL refuses it: 422."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and _has_nul(scope):
            response = error_response(
                422, CommonErrorCode.VALIDATION_ERROR, "the path or query string contains a NUL character"
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _has_nul(scope: Scope) -> bool:
    raw = bytes(scope.get("raw_path") or b"") + b"?" + bytes(scope.get("query_string", b""))
    return b"%00" in raw or b"\x00" in raw or "\x00" in scope.get("path", "")


class RateLimitMiddleware:
    """Fixed one-minute windows per caller, counted by the `limits` library; 429 with Retry-After when over.

    A caller with a valid credential (bearer token or dashboard session) has `per_minute` requests a minute
    on its credential, however the header is spelled; every other request (no credential, a wrong one, a
    page before sign-in) counts on its client address, with `anonymous_per_minute`. The counters live in
    memory (one budget per process) or, with BOOMERANG_REDIS_URL, in Redis, where every API process shares
    one budget. Windows are aligned to the wall-clock minute, so every process agrees on them and on
    Retry-After. When Redis cannot be reached the request is let through (and logged): the limit protects
    the service, it must not take it down.
    """

    def __init__(
        self,
        app: ASGIApp,
        per_minute: int,
        storage: Storage | None = None,
        now: Callable[[], float] = time.time,
        anonymous_per_minute: int = 0,
    ) -> None:
        self.app = app
        self.now = now
        self.items = {
            True: _budget(per_minute, "api"),  # authenticated callers (namespace kept from the first version)
            False: _budget(anonymous_per_minute, "address"),
        }
        storage = storage if storage is not None else MemoryStorage()  # bootstrap.limit_storage builds the real one
        self.remote = limit_storage_is_remote(storage)
        self.limiter = FixedWindowRateLimiter(storage)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        caller = caller_of(scope) if scope["type"] == "http" else None
        item = self.items[caller.authenticated] if caller is not None else None
        if caller is None or item is None:
            await self.app(scope, receive, send)
            return
        now = self.now()
        window = int(now // 60)
        hit = (item, caller.key, window)
        allowed = await run_in_threadpool(self._hit, *hit) if self.remote else self._hit(*hit)
        if not allowed:
            retry_after = str(max(1, int((window + 1) * 60 - now)))
            response = refusal(
                Request(scope),
                429,
                AuthErrorCode.RATE_LIMITED,
                f"more than {item.amount} requests a minute",
                headers={"Retry-After": retry_after},
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _hit(self, item: RateLimitItem, key: str, window: int) -> bool:
        try:
            return self.limiter.hit(item, key, str(window))
        except Exception:  # any storage failure (Redis down, a timeout) lets the request through
            logger.warning("rate limit storage unavailable; request let through", exc_info=False)
            return True


def _budget(per_minute: int, namespace: str) -> RateLimitItem | None:
    return RateLimitItemPerMinute(per_minute, namespace=namespace) if per_minute > 0 else None


class IdempotencyMiddleware:
    """A POST with an Idempotency-Key runs once per credential; repeats replay its response.

    The request runs inside one transaction (see adapters/unit_of_work.py) that commits
    together with the stored response, only after the response is known; the client gets the
    response after that commit. A crash or a lost connection before the commit leaves nothing: the
    retry runs afresh. A concurrent duplicate in this process is told 409 idempotency_key_in_use; one
    in another process loses at the commit (unique key) and is answered with the winner's response.
    """

    def __init__(self, app: ASGIApp, state: State) -> None:
        self.app = app
        # Read at call time: the application's database and clock are in its state.
        self.state = state
        self.in_flight: dict[tuple[str, str], str] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = _header(scope, b"idempotency-key") if scope["type"] == "http" and scope["method"] == "POST" else None
        credential = credential_key(scope)
        if not key or credential is None:
            await self.app(scope, receive, send)
            return
        if len(key) > 255:
            await error_response(422, CommonErrorCode.VALIDATION_ERROR, "Idempotency-Key is at most 255 characters")(
                scope, receive, send
            )
            return
        body = await read_body(scope, receive)
        request_hash = body.digest(scope["path"].encode(), scope.get("query_string", b""))
        running = self.in_flight.get((credential, key))
        if running is not None:
            await _in_use_or_reused(running == request_hash)(scope, receive, send)
            return
        self.in_flight[(credential, key)] = request_hash
        try:
            await self._run_once(scope, body, send, (credential, key, request_hash))
        finally:
            del self.in_flight[(credential, key)]

    async def _run_once(self, scope: Scope, body: RequestBody, send: Send, ident: tuple[str, str, str]) -> None:
        credential, key, request_hash = ident
        session_factory = self.state.session_factory
        try:
            existing = await run_in_threadpool(self._find, credential, key)
        except Exception as error:  # answered in the envelope: 503 if the database is down, else 500
            await _database_error(error, self.state)(scope, _no_body, send)
            return
        if existing is not None:
            await _answer_existing(existing, request_hash, send)
            return
        with request_transaction(session_factory) as transaction:
            try:
                captured = await _run_capturing(self.app, scope, body)
                answer = await run_in_threadpool(self._finish, transaction, ident, captured)
            except BaseException:
                await run_in_threadpool(_discard, transaction)
                raise
        if isinstance(answer, dict):
            await _send_captured(answer, send)
        else:
            await _answer_existing(answer, request_hash, send)

    def _find(self, credential: str, key: str) -> Any:
        return idempotency.stored_response(self.state.uow_factory, credential, key)

    def _finish(self, transaction: RequestTransaction, ident: tuple[str, str, str], captured: dict[str, Any]) -> Any:
        """Commit the request's work with its response; what to send (the captured response, or the
        stored row of a concurrent request that committed first)."""
        credential, key, request_hash = ident
        status = captured.get("status", 500)
        try:
            if status >= 500 or status in (401, 429):
                return captured  # nothing to keep: the request may be retried with the same key
            response = (status, captured["body"].decode("utf-8", "replace"), captured["headers"])
            idempotency.commit_with_response(
                transaction,
                credential=credential,
                key=key,
                request_hash=request_hash,
                response=response,
                now=self.state.clock(),
            )
            return captured
        except DuplicateRecord:
            transaction.rollback()
            stored = idempotency.stored_response(self.state.uow_factory, credential, key)
            return stored or _retry_later_response()
        except Exception as error:  # answered in the envelope: 503 if the database is down, else 500
            transaction.rollback()
            return _captured(_database_error(error, self.state))
        finally:
            _discard(transaction)


def _discard(transaction: RequestTransaction) -> None:
    """Roll back whatever was not committed, and give the connection back."""
    try:
        transaction.rollback()
    finally:
        transaction.close()


def _in_use_or_reused(same_request: bool) -> ASGIApp:
    if same_request:
        return error_response(
            409, IdempotencyErrorCode.IDEMPOTENCY_KEY_IN_USE, "a request with this Idempotency-Key is still running"
        )
    return error_response(
        422, IdempotencyErrorCode.IDEMPOTENCY_KEY_REUSED, "this Idempotency-Key was used with a different request"
    )


def _database_error(error: Exception, state: State) -> JSONResponse:
    note_database_error(error)
    if isinstance(error, DatabaseUnavailable):
        return database_unavailable(state.settings.db_retry_after_seconds)
    return error_response(500, CommonErrorCode.INTERNAL_ERROR, "an unexpected error occurred")


def _retry_later_response() -> dict[str, Any]:
    return _captured(
        error_response(
            409, IdempotencyErrorCode.IDEMPOTENCY_KEY_IN_USE, "a request with this Idempotency-Key is still running"
        )
    )


def _captured(response: JSONResponse) -> dict[str, Any]:
    headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
    return {"status": response.status_code, "body": bytes(response.body), "headers": headers, "all_headers": headers}


async def _answer_existing(row: Any, request_hash: str, send: Send) -> None:
    if row.request_hash != request_hash:
        response = error_response(
            422, IdempotencyErrorCode.IDEMPOTENCY_KEY_REUSED, "this Idempotency-Key was used with a different request"
        )
        await _send_captured(_captured(response), send)
        return
    headers = [(k.encode(), v.encode()) for k, v in (row.response_headers or {}).items()]
    await send(
        {
            "type": "http.response.start",
            "status": row.response_status,
            "headers": [*headers, (b"idempotent-replayed", b"true")],
        }
    )
    await send({"type": "http.response.body", "body": row.response_body.encode()})


async def _send_captured(captured: dict[str, Any], send: Send) -> None:
    body: bytes = captured["body"]
    headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in captured["all_headers"].items()]
    headers.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": captured["status"], "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _no_body() -> Message:
    return {"type": "http.disconnect"}


async def _run_capturing(app: ASGIApp, scope: Scope, body: RequestBody) -> dict[str, Any]:
    """Run the request and keep its response (sent only once the transaction has committed)."""
    captured: dict[str, Any] = {"body": b"", "headers": {}, "all_headers": {}}

    async def capture_send(message: Message) -> None:
        if message["type"] == "http.response.start":
            captured["status"] = message["status"]
            pairs = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in message.get("headers", [])]
            captured["all_headers"] = {k: v for k, v in pairs if k.lower() != "content-length"}
            captured["headers"] = {k: v for k, v in pairs if k.lower() in ("content-type", "etag", "location")}
        elif message["type"] == "http.response.body":
            captured["body"] += message.get("body", b"")

    await app(scope, body.replay(_no_body), capture_send)
    return captured
