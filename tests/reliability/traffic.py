"""Clients of a live server that keep going across its crashes: every POST carries an Idempotency-Key and is
retried (same key, same body) until the server gives a final answer."""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx

RETRYABLE = {409: "idempotency_key_in_use", 503: None, 502: None, 504: None}


@dataclass
class Tally:
    """What the clients saw, for the report and the assertions."""

    requests: int = 0
    transport_errors: int = 0
    cut: int = 0  # the connection was made, then the server died before it answered
    retries: int = 0
    server_errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, **counts: int) -> None:
        with self.lock:
            for name, value in counts.items():
                setattr(self, name, getattr(self, name) + value)


def _retryable(response: httpx.Response) -> bool:
    if response.status_code not in RETRYABLE:
        return False
    code = RETRYABLE[response.status_code]
    return code is None or _error_code(response) == code


def _error_code(response: httpx.Response) -> str | None:
    try:
        return str(response.json()["error"]["code"])
    except (ValueError, KeyError, TypeError):
        return None


class RetryingClient:
    """Sends one logical request until it gets a final answer: across refused connections, resets and
    timeouts (the server was killed) it retries with the same Idempotency-Key."""

    def __init__(self, base_url: str, tally: Tally, deadline_seconds: float = 240.0) -> None:
        self.http = httpx.Client(base_url=base_url, timeout=30)
        self.tally = tally
        self.deadline_seconds = deadline_seconds

    def close(self) -> None:
        self.http.close()

    def send(self, method: str, path: str, headers: dict[str, str], json: Any = None) -> httpx.Response:
        keyed = {**headers, "Idempotency-Key": f"rel-{uuid.uuid4().hex}"} if method == "POST" else headers
        deadline = time.monotonic() + self.deadline_seconds
        while True:
            response = self._attempt(method, path, keyed, json)
            if response is not None and not _retryable(response):
                if response.status_code >= 500:
                    self.tally.server_errors.append(f"{method} {path} {response.status_code} {response.text[:200]}")
                return response
            assert time.monotonic() < deadline, f"{method} {path} got no final answer in {self.deadline_seconds} s"
            self.tally.add(retries=1)
            time.sleep(0.2)  # deliberate: a retrying client pacing itself, as a real one would

    def _attempt(self, method: str, path: str, headers: dict[str, str], json: Any) -> httpx.Response | None:
        self.tally.add(requests=1)
        try:
            return self.http.request(method, path, headers=headers, json=json)
        except httpx.ConnectError:
            self.tally.add(transport_errors=1)
            return None
        except httpx.TransportError:
            self.tally.add(transport_errors=1, cut=1)
            return None


def ok(response: httpx.Response, *statuses: int) -> dict[str, Any]:
    expected = statuses or (200, 201)
    assert response.status_code in expected, f"{response.request.method} {response.request.url}: {response.text}"
    return dict(response.json())
