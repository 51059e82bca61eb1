"""Bodies are capped while they stream in: 413 with the envelope, before parsing or authentication,
and the server's memory does not grow with what the client sends."""

from __future__ import annotations

import asyncio
import json
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from starlette.types import Message, Receive, Scope, Send

from boomerang.entrypoints.http.body_limit import BodyLimitMiddleware
from tests.reliability.rawhttp import repeated, send_streaming
from tests.support.live_server import LiveServer

MB = 1024 * 1024
RETURNS = "/api/v1/returns"


@pytest.fixture(scope="module")
def server(sqlite_server: LiveServer) -> LiveServer:
    return sqlite_server


def merchant_headers(server: LiveServer) -> dict[str, str]:
    with server.client() as client:
        created = client.post("/api/v1/admin/merchants", json={"name": "Limits Co"}, headers=server.admin)
        assert created.status_code == 201, created.text
    return {"Authorization": f"Bearer {created.json()['api_key']}"}


def assert_too_large(status: int, body: dict[str, object]) -> None:
    assert status == 413
    assert body["error"]["code"] == "payload_too_large"  # type: ignore[index]


def test_a_declared_50_mb_body_is_refused_before_a_byte_of_it_is_read(server: LiveServer) -> None:
    before = server.peak_rss_mb()
    headers = {"Content-Type": "application/json", "Content-Length": str(50 * MB)}
    started = time.monotonic()
    response = send_streaming(server.port, RETURNS, headers, repeated(b"[", 50 * MB), chunked=False)
    seconds, peak = time.monotonic() - started, server.peak_rss_mb()
    print(f"\nRELIABILITY FIGURES declared 50 MB: {seconds:.2f} s, peak RSS {before:.0f} -> {peak:.0f} MB")
    assert_too_large(response.status, response.json())
    assert server.peak_rss_mb() - before < 30, (before, server.peak_rss_mb())


def test_a_chunked_50_mb_body_without_a_token_is_refused_once_it_passes_64_kb(server: LiveServer) -> None:
    """Without a credential a body may not pass 64 KB: 401 as soon as it does, the rest never read."""
    before = server.peak_rss_mb()
    headers = {"Content-Type": "application/json"}
    started = time.monotonic()
    response = send_streaming(server.port, RETURNS, headers, repeated(b'{"a":1}', 50 * MB), chunked=True)
    seconds, peak = time.monotonic() - started, server.peak_rss_mb()
    print(f"\nRELIABILITY FIGURES chunked 50 MB: {seconds:.2f} s, peak RSS {before:.0f} -> {peak:.0f} MB")
    assert response.status == 401
    assert response.json()["error"]["code"] == "unauthenticated"
    assert server.peak_rss_mb() - before < 60, (before, server.peak_rss_mb())
    assert httpx.get(f"{server.base_url}/healthz", timeout=10).status_code == 200


def test_a_chunked_body_over_the_cap_with_a_valid_token_changes_nothing(server: LiveServer) -> None:
    headers = {**merchant_headers(server), "Content-Type": "text/csv"}
    csv_rows = b"sku,return_action\n" + b"SKU-1,Restock\n" * (17 * MB // 14)  # CSV's cap: 16 MB
    response = send_streaming(
        server.port, "/api/v1/products/return-preferences/bulk", headers, iter([csv_rows]), chunked=True
    )
    assert_too_large(response.status, response.json())


def test_an_inbound_webhook_over_the_cap_is_refused_before_its_signature_is_checked(server: LiveServer) -> None:
    headers = {"Content-Type": "application/json", "X-Loop-Signature": "bm90LWNoZWNrZWQ="}
    path = "/api/v1/integrations/loop/mch_nobody/webhook"
    response = send_streaming(server.port, path, headers, repeated(b" ", 5 * MB), chunked=True)
    assert_too_large(response.status, response.json())


def test_a_multipart_upload_over_its_cap_is_refused(server: LiveServer) -> None:
    boundary = "limitboundary"
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}", "Content-Length": str(12 * MB)}
    response = send_streaming(server.port, f"{RETURNS}/ret_x/photos", headers, repeated(b"x", 12 * MB), chunked=False)
    assert_too_large(response.status, response.json())


def test_a_body_within_the_cap_is_handled_as_before(server: LiveServer) -> None:
    headers = merchant_headers(server)
    with server.client() as client:
        created = client.post("/api/v1/products", json={"sku": "OK-1", "name": "x" * 100}, headers=headers)
    assert created.status_code == 201, created.text


def test_a_content_length_that_is_not_a_number_is_400_at_the_middleware() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        raise AssertionError("the application must not be reached")

    scope = {"type": "http", "method": "POST", "path": RETURNS, "headers": [(b"content-length", b"lots")]}
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"{}", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    middleware = BodyLimitMiddleware(app, max_body_bytes=MB, max_multipart_bytes=MB)
    # A thread of its own: a browser test in this worker may hold a running event loop on the main thread.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, middleware(scope, receive, send)).result()
    assert sent[0]["status"] == 400
    assert json.loads(sent[1]["body"])["error"]["code"] == "bad_request"


def test_under_the_shipbob_mount_the_413_is_a_problem_details(server: LiveServer) -> None:
    headers = {"Content-Type": "application/json", "Content-Length": str(20 * MB)}
    path = "/compat/shipbob/2026-01/return"
    response = send_streaming(server.port, path, headers, repeated(b" ", 20 * MB), chunked=False)
    assert response.status == 413
    assert response.json()["status"] == 413 and response.json()["title"] == "Payload Too Large"
