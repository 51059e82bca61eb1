"""Who the client is (issue 22, decided item b): `boomerang serve` believes X-Forwarded-For only from the
proxies named in --forwarded-allow-ips / BOOMERANG_FORWARDED_ALLOW_IPS (default: none). Otherwise a client
could name a fresh address on every request and escape the per-address sign-in throttle and rate limit."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
import uvicorn
from sqlalchemy import Engine

from boomerang.entrypoints.cli import uvicorn_options
from tests.support.live_server import LiveServer

# A live server, other processes or connections that must meet.
pytestmark = pytest.mark.several_connections

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
THROTTLE = 10  # failed sign-ins per client address per 15 minutes


def wrong_sign_in(browser: httpx.Client, n: int, forwarded_for: str) -> int:
    """A failed sign-in for an unknown email (so only the per-address count can refuse it); its status."""
    match = CSRF.search(browser.get("/login").text)
    assert match, "no CSRF token on /login"
    data = {"email": f"nobody-{n}@example.com", "password": "wrong", "csrf_token": match.group(1)}
    return browser.post("/login", data=data, headers={"X-Forwarded-For": forwarded_for}).status_code


def serve(engine: Engine, tmp_path: Path, **env: str) -> LiveServer:
    return LiveServer(engine.url.render_as_string(hide_password=False), tmp_path / "live", **env).start()


def test_by_default_x_forwarded_for_does_not_change_the_client_address(engine: Engine, tmp_path: Path) -> None:
    server = serve(engine, tmp_path)
    try:
        with server.client() as browser:
            spoofed = [wrong_sign_in(browser, n, f"198.51.100.{n}") for n in range(THROTTLE + 1)]
    finally:
        server.stop()
    assert spoofed == [401] * THROTTLE + [429]  # all counted against the socket's peer, 127.0.0.1
    print(f"RELIABILITY FIGURES X-Forwarded-For by default: {THROTTLE + 1} spoofed addresses -> {spoofed}")


def test_a_named_proxy_s_x_forwarded_for_is_the_client_address(engine: Engine, tmp_path: Path) -> None:
    server = serve(engine, tmp_path, BOOMERANG_FORWARDED_ALLOW_IPS="127.0.0.1")
    try:
        with server.client() as browser:
            first = [wrong_sign_in(browser, n, "198.51.100.7") for n in range(THROTTLE + 1)]
            other = wrong_sign_in(browser, 99, "198.51.100.8")
    finally:
        server.stop()
    assert first == [401] * THROTTLE + [429] and other == 401


def test_serve_turns_uvicorn_s_proxy_headers_off_unless_proxies_are_named(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "*")  # uvicorn's own variable must not switch it back on
    default = uvicorn.Config("tests:app", **uvicorn_options("127.0.0.1", 8000, ""))
    assert default.proxy_headers is False
    named = uvicorn.Config("tests:app", **uvicorn_options("127.0.0.1", 8000, " 10.0.0.1, 10.0.0.2 "))
    assert named.proxy_headers is True and named.forwarded_allow_ips == "10.0.0.1,10.0.0.2"
