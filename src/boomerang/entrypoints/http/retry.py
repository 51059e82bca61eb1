"""Requests whose transaction PostgreSQL aborted for a serialization failure (SQLSTATE 40001) or a deadlock
(40P01) are run again from the start, transparently, when that is safe.

Safe means all of:
- the attempt's answer is the 503 of that conflict (noted by the error handlers, see `note_database_error`),
  so its transaction was rolled back whole: with an Idempotency-Key the request transaction is discarded
  too (IdempotencyMiddleware keeps nothing of a 5xx), so the replay runs afresh under the same key;
- nothing of the answer reached the client (this middleware holds the response start until it knows);
- the attempt made no effect outside the database (services/attempts.py: a carrier label purchase is
  noted before it is made, and such an attempt is answered 503 as before, never replayed).

At most ATTEMPTS runs with a short jittered pause between them; the last one's answer (503
`database_unavailable` with Retry-After) goes to the client as it is. The body was already read and
capped by BodyLimitMiddleware (in memory, or on disk when large); it is replayed from there as it was.
Local files a rolled-back attempt wrote (a photo) stay unreferenced, exactly as after any other rollback.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from boomerang.entrypoints.http.buffered_body import RequestBody, read_body
from boomerang.services.attempts import attempt, note_transaction_conflict
from boomerang.services.storage_errors import TransactionConflict

logger = logging.getLogger(__name__)

ATTEMPTS = 3
BACKOFF_SECONDS = 0.05  # first pause, doubled each time, times a random factor in [0.5, 1.5)


def note_database_error(error: BaseException) -> None:
    """Called by every handler that answers a database error: marks a conflict a replay may cure."""
    if isinstance(error, TransactionConflict):
        note_transaction_conflict()


class TransactionRetryMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        attempts: int = ATTEMPTS,
        backoff_seconds: float = BACKOFF_SECONDS,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.app = app
        self.attempts = max(1, attempts)
        self.backoff_seconds = backoff_seconds
        self.sleep = sleep

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        body = await read_body(scope, receive)
        for number in range(1, self.attempts + 1):
            if not await self._attempt(scope, body, receive, send, last=number == self.attempts):
                return
            pause = self.backoff_seconds * 2 ** (number - 1) * (0.5 + random.random())
            logger.warning(
                "transaction conflict on %s %s (attempt %d of %d); running it again in %.0f ms",
                scope["method"],
                scope["path"],
                number,
                self.attempts,
                pause * 1000,
            )
            await self.sleep(pause)

    async def _attempt(self, scope: Scope, body: RequestBody, receive: Receive, send: Send, *, last: bool) -> bool:
        """Run the request once; True when its answer was held back and it should run again."""
        held = False
        started = False

        async def guarded_send(message: Message) -> None:
            nonlocal held, started
            if held:
                return  # the rest of an answer that will never be sent
            if message["type"] == "http.response.start" and not started:
                if not last and message["status"] == 503 and record.may_run_again:
                    held = True
                    return
                started = True
            await send(message)

        with attempt() as record:
            try:
                await self.app(scope, body.replay(receive), guarded_send)
            except Exception:
                if started or last or not record.may_run_again:
                    raise
                return True
        return held
