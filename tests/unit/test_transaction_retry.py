"""TransactionRetryMiddleware's rules on a bare ASGI app (the real conflicts: tests/reliability/
test_transaction_retries.py, PostgreSQL)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send

from boomerang.entrypoints.http.retry import TransactionRetryMiddleware
from boomerang.services.attempts import note_external_effect, note_transaction_conflict


class Flaky:
    """Answers 503 after noting a conflict for its first `conflicts` runs, then 201 echoing the body."""

    def __init__(self, conflicts: int, *, effect: bool = False, status: int = 503) -> None:
        self.conflicts = conflicts
        self.effect = effect
        self.status = status
        self.bodies: list[bytes] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        message = await receive()
        self.bodies.append(message.get("body", b""))
        response: Response
        if len(self.bodies) <= self.conflicts:
            if self.effect:
                note_external_effect("a purchase")
            note_transaction_conflict()
            response = JSONResponse({"attempt": len(self.bodies)}, status_code=self.status)
        else:
            response = JSONResponse({"attempt": len(self.bodies)}, status_code=201)
        await response(scope, receive, send)


async def _no_sleep(_: float) -> None:
    return None


def _post(app: Any) -> Any:
    return TestClient(TransactionRetryMiddleware(app, sleep=_no_sleep)).post("/x", content=b'{"same": "body"}')


def test_a_conflict_is_run_again_with_the_same_body_and_only_the_last_answer_is_sent() -> None:
    app = Flaky(conflicts=2)
    response = _post(app)
    assert (response.status_code, response.json()) == (201, {"attempt": 3})
    assert app.bodies == [b'{"same": "body"}'] * 3


def test_after_three_attempts_the_503_goes_to_the_client() -> None:
    app = Flaky(conflicts=5)
    response = _post(app)
    assert (response.status_code, response.json()) == (503, {"attempt": 3})
    assert len(app.bodies) == 3


def test_an_attempt_with_an_external_effect_is_never_run_again() -> None:
    app = Flaky(conflicts=1, effect=True)
    assert _post(app).status_code == 503
    assert len(app.bodies) == 1


def test_an_answer_other_than_503_is_sent_even_after_a_conflict_was_noted() -> None:
    app = Flaky(conflicts=1, status=409)
    assert _post(app).status_code == 409
    assert len(app.bodies) == 1
