"""Uploads cost disk, not memory, and only a known caller may send one.

The probe's attack: 60 parallel 11 MB multipart bodies, sent slowly and without a session, to a station
photo route took the server from 142 MB to 2.1 GB (all answered 403 in the end). Now such a body is refused
before it is read; 60 authenticated uploads at once keep the server under 400 MB; a body that stops
arriving is answered 408, and a stopping server does not wait for it.
"""

from __future__ import annotations

import asyncio
import json
import signal
import socket
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from starlette.types import Message, Receive, Scope, Send

from boomerang.entrypoints.http.body_limit import BodyLimitMiddleware
from boomerang.entrypoints.http.buffered_body import BodyMemoryBudget, RequestBody
from tests.reliability.rawhttp import RawResponse, repeated, send_streaming
from tests.support.live_server import LiveServer

MB = 1024 * 1024
ATTACKERS = 60
RSS_TARGET_MB = 400
BOUNDARY = "probeboundary"


@pytest.fixture(scope="module")
def server(sqlite_server: LiveServer) -> LiveServer:
    return sqlite_server


def multipart(total: int) -> Iterator[bytes]:
    """A photo form part of about `total` bytes (not an image: the server reads it all before it can tell)."""
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n"
    ).encode()
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()
    yield head
    yield from repeated(b"\xff", total - len(head) - len(tail))
    yield tail


def slowly(chunks: Iterator[bytes], pause: float) -> Iterator[bytes]:
    for chunk in chunks:
        time.sleep(pause)  # deliberate: a slow sender
        yield chunk


def upload_at_once(server: LiveServer, path: str, headers: dict[str, str], *, size: int, pause: float) -> list[int]:
    """ATTACKERS uploads of `size` bytes in parallel, half with a Content-Length and half chunked."""

    def one(number: int) -> RawResponse:
        chunked = number % 2 == 1
        sized = headers if chunked else {**headers, "Content-Length": str(size)}
        return send_streaming(server.port, path, sized, slowly(multipart(size), pause), chunked=chunked)

    with ThreadPoolExecutor(ATTACKERS) as pool:
        return [response.status for response in pool.map(one, range(ATTACKERS))]


def test_sixty_slow_11_mb_uploads_without_a_session_are_refused_unread(server: LiveServer) -> None:
    before = server.peak_rss_mb()
    headers = {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}
    started = time.monotonic()
    statuses = upload_at_once(server, "/station/returns/ret_x/photos", headers, size=11 * MB - 1024, pause=0.01)
    seconds, peak, now = time.monotonic() - started, server.peak_rss_mb(), server.rss_mb()
    print(
        f"\nRELIABILITY FIGURES {ATTACKERS} x 11 MB multipart to a station photo route without a session: "
        f"{seconds:.1f} s, statuses {sorted(set(statuses))}, peak RSS {before:.0f} -> {peak:.0f} MB, now {now:.0f} MB"
    )
    assert set(statuses) == {403}
    assert peak < RSS_TARGET_MB


def test_sixty_authenticated_10_mb_uploads_at_once_stay_under_400_mb(server: LiveServer) -> None:
    with server.client() as client:
        fc = client.post(
            "/api/v1/admin/fulfillment-centers", json={"name": "Upload FC", "country": "US"}, headers=server.admin
        ).json()
        operator = client.post(
            "/api/v1/admin/operators",
            json={"name": "Uploader", "fulfillment_center_ids": [fc["id"]]},
            headers=server.admin,
        ).json()
    headers = {
        "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
        "Authorization": f"Bearer {operator['token']}",
    }
    before = server.peak_rss_mb()
    started = time.monotonic()
    statuses = upload_at_once(server, "/api/v1/returns/ret_x/photos", headers, size=10 * MB, pause=0.001)
    seconds, peak, now = time.monotonic() - started, server.peak_rss_mb(), server.rss_mb()
    print(
        f"\nRELIABILITY FIGURES {ATTACKERS} x 10 MB photo uploads with an operator token at once: {seconds:.1f} s, "
        f"statuses {sorted(set(statuses))}, peak RSS {before:.0f} -> {peak:.0f} MB, now {now:.0f} MB"
    )
    assert set(statuses) == {422}  # every body read whole, then found not to be an image
    assert peak < RSS_TARGET_MB


@pytest.mark.several_connections
def test_a_stopping_server_does_not_wait_for_a_body_that_stopped_arriving(
    tmp_path: Path, sqlite_template: Path
) -> None:
    db = tmp_path / "boomerang.db"
    db.write_bytes(sqlite_template.read_bytes())
    live = LiveServer(f"sqlite:///{db}", tmp_path, BOOMERANG_BODY_GRACE_SECONDS="2").start()
    try:
        with socket.create_connection(("127.0.0.1", live.port), timeout=30) as sock:
            head = (
                "POST /api/v1/products HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                f"Authorization: Bearer {live.admin['Authorization'].split()[1]}\r\nContent-Length: 1000\r\n\r\n"
            )
            sock.sendall(head.encode() + b'{"sku": ')  # ... and nothing more
            answer = b""
            while piece := sock.recv(65536):  # the server gives up on the body after its grace, and closes
                answer += piece
            assert live.process is not None
            started = time.monotonic()
            live.process.send_signal(signal.SIGTERM)
            live.process.wait(timeout=30)
            stopped_in = time.monotonic() - started
        status = answer.split(b" ")[1].decode()
        print(f"\nRELIABILITY FIGURES a stalled body: {status}; SIGTERM to exit {stopped_in:.2f} s")
        assert answer.startswith(b"HTTP/1.1 408")
        assert json.loads(answer.partition(b"\r\n\r\n")[2])["error"]["code"] == "request_timeout"
        assert stopped_in < 10
    finally:
        live.stop()


def test_a_body_that_arrives_too_slowly_is_408_and_never_reaches_the_application() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        raise AssertionError("the application must not be reached")

    async def receive() -> Message:
        await asyncio.sleep(0.05)  # deliberate: a slow sender
        return {"type": "http.request", "body": b"x" * 10, "more_body": True}  # 200 bytes a second

    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/api/v1/products", "headers": [], "state": {}}
    middleware = BodyLimitMiddleware(
        app, max_body_bytes=MB, max_multipart_bytes=MB, body_grace_seconds=0.3, min_body_bytes_per_second=1024
    )
    with ThreadPoolExecutor(1) as pool:  # a loop of its own (a browser test may hold one on this thread)
        pool.submit(asyncio.run, middleware(scope, receive, send)).result()
    assert sent[0]["status"] == 408
    assert (b"connection", b"close") in sent[0]["headers"]
    assert json.loads(sent[1]["body"])["error"]["code"] == "request_timeout"


def test_bodies_wait_on_disk_once_the_memory_budget_is_spent() -> None:
    budget = BodyMemoryBudget(3 * MB)
    held = [RequestBody(budget.take(MB), budget) for _ in range(3)]
    assert budget.take(MB) == 0  # spent: the next body goes to disk from its first byte
    on_disk = RequestBody(0, budget)
    on_disk.write(b"a" * 100)
    assert on_disk.on_disk
    in_memory = held[0]
    in_memory.write(b"b" * 100)
    assert not in_memory.on_disk
    in_memory.write(b"c" * MB)
    assert in_memory.on_disk  # past its share: moved to disk
    for body in held:
        body.close()
    assert budget.taken == 0 and budget.take(2 * MB) == 2 * MB
    assert in_memory.size == 100 + MB and on_disk.read() == b"a" * 100
    on_disk.close()
