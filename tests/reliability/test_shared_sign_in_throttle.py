"""Page sign-in throttling is counted by the `limits` storage of the API rate limit: with Redis, every process
shares one budget; in memory, each process has its own. The rule (services/web_sessions.py): 10 failures per
15 minutes per client address, then that address waits; an email with 10 failures is never locked, but each
address may then try it once a minute. Two real `boomerang serve` processes behind a named proxy (so the test
can speak from several client addresses with X-Forwarded-For), a unique Redis key prefix per test (keys
deleted afterwards, see test_shared_rate_limit.redis_prefix)."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine

from tests.reliability.test_shared_rate_limit import REDIS_URL, redis_prefix  # noqa: F401 (fixture)
from tests.support.live_server import LiveServer

# A live server, other processes or connections that must meet.
pytestmark = pytest.mark.several_connections

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
PASSWORD = "correct-horse-battery"
PER_SERVER = 6  # 12 wrong passwords in all: over the budget of 10 together, under it for each process alone


def _servers(engine: Engine, tmp_path: Path, **env: str) -> list[LiveServer]:
    url = engine.url.render_as_string(hide_password=False)
    env = {"BOOMERANG_FORWARDED_ALLOW_IPS": "127.0.0.1", **env}
    return [LiveServer(url, tmp_path / f"live-{i}", **env).start() for i in range(2)]


def _user(server: LiveServer) -> str:
    with server.client() as client:
        merchant = client.post("/api/v1/admin/merchants", json={"name": "Throttle Co"}, headers=server.admin)
        assert merchant.status_code == 201, merchant.text
        body = {
            "email": "guess@example.com",
            "password": PASSWORD,
            "role": "Merchant",
            "merchant_id": merchant.json()["id"],
        }
        assert client.post("/api/v1/admin/users", json=body, headers=server.admin).status_code == 201
    return "guess@example.com"


def _sign_in(browser: httpx.Client, email: str, password: str, address: str = "198.51.100.1") -> httpx.Response:
    match = CSRF.search(browser.get("/login").text)
    assert match, "no CSRF token on /login"
    data = {"email": email, "password": password, "csrf_token": match.group(1)}
    return browser.post("/login", data=data, headers={"X-Forwarded-For": address}, follow_redirects=False)


def _wrong_passwords(servers: list[LiveServer], email: str) -> list[list[int]]:
    """PER_SERVER wrong passwords to each server, interleaved; the statuses each server answered."""
    statuses: list[list[int]] = [[] for _ in servers]
    browsers = [server.client() for server in servers]
    try:
        for n in range(PER_SERVER):
            for i, browser in enumerate(browsers):
                statuses[i].append(_sign_in(browser, email, f"wrong-{n}").status_code)
    finally:
        for browser in browsers:
            browser.close()
    return statuses


def test_two_processes_on_one_redis_share_one_sign_in_budget(engine: Engine, tmp_path: Path, redis_prefix: str) -> None:  # noqa: F811
    servers = _servers(engine, tmp_path, BOOMERANG_REDIS_URL=REDIS_URL, BOOMERANG_REDIS_KEY_PREFIX=redis_prefix)
    try:
        email = _user(servers[0])
        statuses = _wrong_passwords(servers, email)
        flat = [code for pair in zip(*statuses, strict=True) for code in pair]
        assert flat == [401] * 10 + [429] * 2, statuses
        for server in servers:  # the guessing address waits, even with the right password, on either process
            with server.client() as browser:
                throttled = _sign_in(browser, email, PASSWORD)
            assert throttled.status_code == 429
            assert "Too many attempts" in throttled.text
        with servers[0].client() as browser, servers[1].client() as other:
            # The email had 10 failures: another address may try it once a minute, counted across processes...
            assert _sign_in(browser, email, "wrong", address="198.51.100.2").status_code == 401
            assert _sign_in(other, email, "wrong", address="198.51.100.2").status_code == 429
            # ...and its owner, at an address of its own, is not locked out.
            owner = _sign_in(other, email, PASSWORD, address="203.0.113.7").status_code
        assert owner == 303
        print(
            f"RELIABILITY FIGURES sign-in throttle on one Redis: {statuses} from one address, then 2 x 429 with the "
            "right password there; a second address 401 then 429 across the processes; the owner elsewhere 303"
        )
    finally:
        for server in servers:
            server.stop()


def test_without_redis_each_process_counts_its_own_sign_in_failures(engine: Engine, tmp_path: Path) -> None:
    servers = _servers(engine, tmp_path, BOOMERANG_REDIS_URL="")
    try:
        email = _user(servers[0])
        statuses = _wrong_passwords(servers, email)
        assert statuses == [[401] * PER_SERVER] * 2, statuses
        with servers[1].client() as browser:
            assert _sign_in(browser, email, PASSWORD).status_code == 303
        print(f"RELIABILITY FIGURES sign-in throttle in memory: {statuses}, then 303 with the right password")
    finally:
        for server in servers:
            server.stop()


def test_an_unreachable_redis_lets_sign_ins_through(engine: Engine, tmp_path: Path) -> None:
    """Like the API limit: a Redis outage must not lock every user out (nor turn sign-ins into 500s)."""
    url = engine.url.render_as_string(hide_password=False)
    server = LiveServer(url, tmp_path / "live", BOOMERANG_REDIS_URL="redis://127.0.0.1:1/0").start()
    try:
        email = _user(server)
        with server.client() as browser:
            wrong = [_sign_in(browser, email, "wrong").status_code for _ in range(11)]
            right = _sign_in(browser, email, PASSWORD).status_code
        assert wrong == [401] * 11 and right == 303
        assert "sign-in throttle storage unavailable" in server.log()
    finally:
        server.stop()
