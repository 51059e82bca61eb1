"""One rate-limit budget per credential across API processes (Redis), and per process in memory.

Redis: two real `boomerang serve` processes share BOOMERANG_REDIS_URL (a unique key prefix per test, its
keys deleted afterwards); the requests they allow together equal the limit. Without a reachable Redis the
test is skipped, unless CI=true, where it fails (like PostgreSQL under BOOMERANG_REQUIRE_POSTGRES).
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from sqlalchemy import Engine

from tests.support.live_server import LiveServer
from tests.support.waiting import wait_until

# A live server, other processes or connections that must meet.
pytestmark = pytest.mark.several_connections

REDIS_URL = os.environ.get("BOOMERANG_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
LIMIT = 10
PER_SERVER = 15  # each server is asked more than the whole budget


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is required in CI but {REDIS_URL} is not reachable: {error}")
        pytest.skip(f"Redis not reachable at {REDIS_URL}")
    prefix = f"boomerang-test-{uuid.uuid4().hex}"
    yield prefix
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)
    client.close()


def _start_of_a_fresh_minute(margin: float = 15.0) -> None:
    """The windows are wall-clock minutes: start far enough from the next boundary that all requests share one."""
    wait_until(lambda: 60 - time.time() % 60 >= margin, timeout=margin + 1, message="no fresh minute", interval=0.2)


def _servers(engine: Engine, tmp_path: Path, **env: str) -> list[LiveServer]:
    url = engine.url.render_as_string(hide_password=False)
    return [LiveServer(url, tmp_path / f"live-{i}", BOOMERANG_RATE_LIMIT=str(LIMIT), **env) for i in range(2)]


def _merchant_key(server: LiveServer) -> dict[str, str]:
    with server.client() as client:
        response = client.post("/api/v1/admin/merchants", json={"name": "Rate Co"}, headers=server.admin)
        assert response.status_code == 201, response.text
        return {"Authorization": f"Bearer {response.json()['api_key']}"}


def _alternate(servers: list[LiveServer], headers: dict[str, str]) -> list[list[int]]:
    """PER_SERVER requests to each server, interleaved; the statuses each server answered."""
    statuses: list[list[int]] = [[] for _ in servers]
    clients = [server.client() for server in servers]
    try:
        for _ in range(PER_SERVER):
            for i, client in enumerate(clients):
                statuses[i].append(client.get("/api/v1/products", headers=headers).status_code)
    finally:
        for client in clients:
            client.close()
    return statuses


def test_two_processes_on_one_redis_share_one_budget(engine: Engine, tmp_path: Path, redis_prefix: str) -> None:
    servers = _servers(engine, tmp_path, BOOMERANG_REDIS_URL=REDIS_URL, BOOMERANG_REDIS_KEY_PREFIX=redis_prefix)
    try:
        for server in servers:
            server.start()
        headers = _merchant_key(servers[0])
        _start_of_a_fresh_minute()
        statuses = _alternate(servers, headers)
        allowed = [s.count(200) for s in statuses]
        assert sum(allowed) == LIMIT, statuses
        assert all(n > 0 for n in allowed), statuses  # both processes served part of the one budget
        assert {code for s in statuses for code in s} == {200, 429}
        with servers[1].client() as client:
            refused = client.get("/api/v1/products", headers=headers)
        assert refused.status_code == 429
        assert refused.json()["error"]["code"] == "rate_limited"
        assert 1 <= int(refused.headers["retry-after"]) <= 60
    finally:
        for server in servers:
            server.stop()


def test_without_redis_each_process_has_its_own_budget(engine: Engine, tmp_path: Path) -> None:
    servers = _servers(engine, tmp_path, BOOMERANG_REDIS_URL="")
    try:
        for server in servers:
            server.start()
        headers = _merchant_key(servers[0])
        _start_of_a_fresh_minute()
        statuses = _alternate(servers, headers)
        assert [s.count(200) for s in statuses] == [LIMIT, LIMIT], statuses
    finally:
        for server in servers:
            server.stop()


def test_an_unreachable_redis_lets_requests_through(engine: Engine, tmp_path: Path) -> None:
    """The limit protects the service; a Redis outage must not turn every request into a 429 or a 500."""
    (server,) = _servers(engine, tmp_path, BOOMERANG_REDIS_URL="redis://127.0.0.1:1/0")[:1]
    try:
        server.start()
        headers = _merchant_key(server)
        with server.client() as client:
            statuses = {client.get("/api/v1/products", headers=headers).status_code for _ in range(LIMIT + 2)}
        assert statuses == {200}
        assert "rate limit storage unavailable" in server.log()
    finally:
        server.stop()
