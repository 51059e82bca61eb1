"""A live server on PostgreSQL under load from 8 clients while its database connections are
terminated again and again (pg_terminate_backend): requests fail cleanly (503 database_unavailable
with Retry-After, never a 500), idempotent retries create nothing twice, the server recovers with no
restart, and its log never shows a secret."""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.pool import NullPool

from tests.support.builders import Api
from tests.support.live_server import LiveServer
from tests.support.waiting import wait_until

# A live server, other processes or connections that must meet.
pytestmark = pytest.mark.several_connections

LONG = os.environ.get("BOOMERANG_LONG_TESTS") == "1"
CLIENTS = 8
KILLS = 20 if LONG else 5
FIGURES: dict[str, Any] = {}  # printed for docs/reliability.md (pytest -s)


@pytest.fixture
def outsider(db_kind: str, engine: Engine) -> Iterator[Engine]:
    if db_kind != "postgres":
        pytest.skip("pg_terminate_backend is PostgreSQL's")
    own = create_engine(engine.url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    yield own
    own.dispose()


def terminate_server_connections(outsider: Engine) -> int:
    query = (
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
    )
    with outsider.connect() as conn:
        return int(conn.execute(text(query)).scalar_one())


class LoadClient(threading.Thread):
    """Creates products with Idempotency-Keys (retrying a key until it gets an answer that is not a
    503), reads and edits them."""

    def __init__(self, base_url: str, headers: dict[str, str], stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.client = httpx.Client(base_url=base_url, headers=headers, timeout=60)
        self.stop = stop
        self.statuses: Counter[int] = Counter()
        self.bad: list[str] = []
        self.created: set[str] = set()
        self.keys = 0

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        response = self.client.request(method, path, **kwargs)
        self.statuses[response.status_code] += 1
        if response.status_code == 503:
            body = response.json()
            if body["error"]["code"] != "database_unavailable" or int(response.headers["retry-after"]) < 1:
                self.bad.append(response.text)
        elif response.status_code >= 500 or response.status_code in (401, 403):
            self.bad.append(f"{response.status_code} {response.text}")
        return response

    def create_once(self) -> None:
        key = uuid.uuid4().hex
        self.keys += 1
        body = {"sku": f"LOAD-{key[:12]}", "name": "Load test mug"}
        for _ in range(50):
            response = self.request("POST", "/api/v1/products", json=body, headers={"Idempotency-Key": key})
            if response.status_code != 503:
                if response.status_code == 201:
                    self.created.add(response.json()["id"])
                return
            time.sleep(0.05)  # deliberate: a client pacing its retries of a 503, as a real one would
        self.bad.append(f"key {key} never got past 503")

    def run(self) -> None:
        while not self.stop.is_set():
            self.create_once()
            self.request("GET", "/api/v1/products", params={"limit": 20})
            if self.created:
                product_id = next(iter(self.created))
                self.request("PATCH", f"/api/v1/products/{product_id}", json={"name": "Renamed mug"})


def test_connections_terminated_under_load_fail_cleanly_and_the_server_recovers(
    engine: Engine, outsider: Engine, tmp_path: Path
) -> None:
    server = LiveServer(engine.url.render_as_string(hide_password=False), tmp_path / "live").start()
    try:
        secrets = run_load_with_kills(server, outsider)
        assert_log_free_of(server.log(), secrets)
    finally:
        server.stop()
    FIGURES["log_bytes_searched"] = len(server.log())
    print(f"\nRELIABILITY FIGURES pg_terminate_backend: {FIGURES}")


def _wait_for_answers(clients: list[LoadClient], more: int, status: int | None = None) -> None:
    def answered() -> int:
        return sum(c.statuses[status] if status else c.statuses.total() for c in clients)

    seen = answered()
    wait_until(
        lambda: answered() >= seen + more,
        timeout=120,
        message=f"the clients got no {more} more answers",
        ignoring=(RuntimeError,),  # a status counted for the first time while we sum
    )


def run_load_with_kills(server: LiveServer, outsider: Engine) -> list[str]:
    secrets, headers = create_secrets(server)
    stop = threading.Event()
    clients = [LoadClient(server.base_url, headers, stop) for _ in range(CLIENTS)]
    for client in clients:
        client.start()
    terminated = rounds = 0
    # At least KILLS rounds; more (up to 4x) until one kill has landed inside a request.
    while rounds < KILLS or (rounds < 4 * KILLS and not any(c.statuses[503] for c in clients)):
        _wait_for_answers(clients, 3 * CLIENTS)  # traffic between kills
        terminated += terminate_server_connections(outsider)
        rounds += 1
    _wait_for_answers(clients, CLIENTS, status=200)  # and the server answers again after the last one
    stop.set()
    for client in clients:
        client.join(timeout=120)
        client.client.close()
    statuses = sum((c.statuses for c in clients), Counter())
    assert [bad for c in clients for bad in c.bad] == []
    assert statuses[503] > 0, f"no request met a killed connection: {statuses}"
    created = {product_id for c in clients for product_id in c.created}
    keys = sum(c.keys for c in clients)
    with server.client(headers=headers) as probe:
        for _ in range(20):  # recovery, with no restart
            assert probe.get("/api/v1/products", params={"limit": 1}).status_code == 200
    assert count_products(outsider) == len(created) == keys  # every key created exactly one product
    FIGURES.update(
        clients=CLIENTS,
        kills=rounds,
        connections_terminated=terminated,
        requests=sum(statuses.values()),
        statuses=dict(sorted(statuses.items())),
        idempotency_keys=keys,
        products_created=len(created),
    )
    return secrets


def count_products(outsider: Engine) -> int:
    with outsider.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM products")).scalar_one())


def create_secrets(server: LiveServer) -> tuple[list[str], dict[str, str]]:
    """One of every kind of secret the API hands out or accepts; the merchant's headers for the load."""
    with server.client() as client:
        api = Api(client, "unused")  # type: ignore[arg-type]
        api.admin = server.admin
        merchant, fc, operator = api.setup()
        integration = api.integration_token()["Authorization"].removeprefix("Bearer ")
        admin_token = client.post("/api/v1/admin/admin-tokens", json={"name": "ops"}, headers=server.admin)
        password = "correct horse battery staple 42"
        user = {"email": "ana@example.com", "password": password, "role": "Merchant", "merchant_id": merchant.id}
        assert client.post("/api/v1/admin/users", json=user, headers=server.admin).status_code == 201
        hook = client.post(
            "/api/v1/webhooks",
            json={"url": "https://hooks.example.com/x", "topics": ["return.created"]},
            headers=merchant.headers,
        )
        assert hook.status_code == 201, hook.text
        portal_secret = "portal-shared-secret-5c1d"
        configured = client.put(
            "/api/v1/integrations/loop",
            json={"webhook_secret": portal_secret, "fulfillment_center_id": fc["id"]},
            headers=merchant.headers,
        )
        assert configured.status_code == 200
    secrets = [merchant.api_key, operator.token, integration, hook.json()["secret"], password, portal_secret]
    if admin_token.status_code == 201:
        secrets.append(admin_token.json()["token"])
    return [s for s in secrets if s], merchant.headers


def assert_log_free_of(log: str, secrets: list[str]) -> None:
    assert log, "the server wrote no log at all"
    leaked = [s[:6] + "…" for s in secrets if s in log]
    assert leaked == []
