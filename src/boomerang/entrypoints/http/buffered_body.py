"""A request body read once, then handed to the application as often as it runs, as if it came from the client.

Small bodies stay in memory; a body over its in-memory share (a photo, a CSV file) goes to a temporary file,
so a burst of uploads costs disk, not memory. The process's memory for bodies is one budget
(`BodyMemoryBudget`): once it is spent, every further body goes straight to disk until some is given back.
"""

from __future__ import annotations

import hashlib
import io
import tempfile
import threading
from collections.abc import Iterator
from typing import IO

from starlette.types import Message, Receive, Scope

CHUNK = 64 * 1024
SCOPE_KEY = "boomerang.request_body"


class BodyMemoryBudget:
    """Bytes of request bodies this process may hold in memory at once."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.taken = 0
        self._lock = threading.Lock()

    def take(self, wanted: int) -> int:
        """Up to `wanted` bytes of the budget (0 when it is spent)."""
        with self._lock:
            granted = max(0, min(wanted, self.total - self.taken))
            self.taken += granted
            return granted

    def give_back(self, granted: int) -> None:
        with self._lock:
            self.taken -= granted


class RequestBody:
    """The bytes of one request body, in memory up to `in_memory` bytes and on disk beyond."""

    def __init__(self, in_memory: int, budget: BodyMemoryBudget | None = None) -> None:
        self.size = 0
        self._budget = budget
        self._granted = in_memory
        # max_size=0 would mean "never roll over"; a share of 0 means "always on disk".
        self._file: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=max(in_memory, 1))  # noqa: SIM115

    @classmethod
    def of(cls, data: bytes) -> RequestBody:
        """A body already in memory (nothing to give back, nothing on disk)."""
        body = cls.__new__(cls)
        body.size, body._budget, body._granted = len(data), None, 0
        body._file = io.BytesIO(data)
        return body

    @property
    def on_disk(self) -> bool:
        """Whether the body has moved to its temporary file (SpooledTemporaryFile rolls over past its share)."""
        return bool(getattr(self._file, "_rolled", False))

    def write(self, chunk: bytes) -> None:
        self._file.write(chunk)
        self.size += len(chunk)

    def chunks(self) -> Iterator[bytes]:
        self._file.seek(0)
        while chunk := self._file.read(CHUNK):
            yield chunk

    def read(self) -> bytes:
        """The whole body in memory (for bodies known to be small)."""
        return b"".join(self.chunks())

    def digest(self, *head: bytes) -> str:
        """SHA-256 of `head` parts and the body, joined by newlines (the Idempotency-Key request hash)."""
        digest = hashlib.sha256()
        for part in head:
            digest.update(part + b"\n")
        for chunk in self.chunks():
            digest.update(chunk)
        return digest.hexdigest()

    def replay(self, channel: Receive) -> Receive:
        """The body again from its first byte, in chunks; afterwards the real channel (disconnects still arrive)."""
        chunks = self.chunks()
        pending = next(chunks, b"")
        done = False

        async def receive() -> Message:
            nonlocal pending, done
            if done:
                return await channel()
            following = next(chunks, None)
            message = {"type": "http.request", "body": pending, "more_body": following is not None}
            if following is None:
                done = True
            else:
                pending = following
            return message

        return receive

    def close(self) -> None:
        self._file.close()
        if self._budget is not None:
            self._budget.give_back(self._granted)
            self._budget = None


def body_in(scope: Scope) -> RequestBody | None:
    """The body BodyLimitMiddleware read for this request, if it ran."""
    return scope.get(SCOPE_KEY)  # type: ignore[no-any-return]


async def read_body(scope: Scope, receive: Receive) -> RequestBody:
    """The request's body: the one already read for it, or every chunk read now (in memory)."""
    found = body_in(scope)
    if found is not None:
        return found
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            break
    return RequestBody.of(b"".join(chunks))
