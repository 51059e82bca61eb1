"""Webhook signing secrets and integration HMAC secrets are stored encrypted, readable only with the
configured key; `boomerang admin rotate-secret-key` moves them to a new key."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, String, select, type_coerce
from typer.testing import CliRunner, Result

from boomerang.adapters import secret_box
from boomerang.adapters.secret_box import PREFIX, SecretBox, SecretUnreadable
from boomerang.adapters.tables.webhooks import integration_configs, webhook_subscriptions
from boomerang.config import DEVELOPMENT_SECRET_KEY, Settings, get_settings
from boomerang.entrypoints.cli import app as cli
from tests.support.builders import Api

LOOP_SECRET = "loop-shared-secret-0123456789"


@pytest.fixture(autouse=True)
def development_keys() -> Iterator[None]:
    """Each test starts and ends with the process's usual (development) key."""
    secret_box.configure(Settings())
    yield
    secret_box.configure(Settings())


def stored(engine: Engine, column: Any) -> list[str]:
    with engine.connect() as conn:
        return [row[0] for row in conn.execute(select(type_coerce(column, String)))]


def subscribe_and_connect_loop(api: Api, client: TestClient) -> tuple[Any, str]:
    merchant, fc, _ = api.setup()
    created = client.post(
        "/api/v1/webhooks",
        json={"url": "https://erp.example.com/hooks", "topics": ["return.created"]},
        headers=merchant.headers,
    )
    assert created.status_code == 201, created.text
    connected = client.put(
        "/api/v1/integrations/loop",
        json={"webhook_secret": LOOP_SECRET, "fulfillment_center_id": fc["id"]},
        headers=merchant.headers,
    )
    assert connected.status_code == 200, connected.text
    return merchant, created.json()["secret"]


def loop_accepts_signature(client: TestClient, merchant_id: str) -> bool:
    body = b'{"topic":"return","trigger":"return.closed","id":1,"state":"closed"}'
    signature = base64.b64encode(hmac.new(LOOP_SECRET.encode(), body, hashlib.sha256).digest()).decode()
    response = client.post(
        f"/api/v1/integrations/loop/{merchant_id}/webhook",
        content=body,
        headers={"X-Loop-Signature": signature, "Content-Type": "application/json"},
    )
    return response.status_code != 401


def test_secrets_are_stored_encrypted_and_still_work(api: Api, client: TestClient, engine: Engine) -> None:
    merchant, webhook_secret = subscribe_and_connect_loop(api, client)
    for value, secret in (
        (stored(engine, webhook_subscriptions.c.secret), webhook_secret),
        (stored(engine, integration_configs.c.webhook_secret), LOOP_SECRET),
    ):
        assert len(value) == 1 and value[0].startswith(PREFIX)
        assert secret not in value[0]
    assert loop_accepts_signature(client, merchant.id)
    listed = client.get("/api/v1/webhooks", headers=merchant.headers).json()["items"]
    assert "secret" not in listed[0]  # shown once, at creation only


NEW_KEY = "the-new-secret-key-of-2026"


def rotate_to_a_new_key(engine: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Result:
    """`boomerang admin rotate-secret-key` on this database, from the development key to NEW_KEY."""
    monkeypatch.setenv("BOOMERANG_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("BOOMERANG_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("BOOMERANG_SECRET_KEY", NEW_KEY)
    monkeypatch.setenv("BOOMERANG_PREVIOUS_SECRET_KEYS", DEVELOPMENT_SECRET_KEY)
    get_settings.cache_clear()
    try:
        return CliRunner().invoke(cli, ["admin", "rotate-secret-key"])
    finally:
        get_settings.cache_clear()


@pytest.mark.several_connections  # the CLI opens its own engine
def test_rotation_moves_every_secret_to_the_new_key(
    api: Api, client: TestClient, engine: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    merchant, _ = subscribe_and_connect_loop(api, client)
    before = stored(engine, webhook_subscriptions.c.secret) + stored(engine, integration_configs.c.webhook_secret)
    result = rotate_to_a_new_key(engine, monkeypatch, tmp_path)
    assert result.exit_code == 0, result.output
    assert "re-encrypted 2 stored secrets" in result.output
    after = stored(engine, webhook_subscriptions.c.secret) + stored(engine, integration_configs.c.webhook_secret)
    assert all(value.startswith(PREFIX) for value in after) and set(after).isdisjoint(before)
    only_new_key = SecretBox("the-new-secret-key-of-2026")
    assert only_new_key.decrypt(after[1]) == LOOP_SECRET
    with pytest.raises(SecretUnreadable):
        SecretBox(DEVELOPMENT_SECRET_KEY).decrypt(after[1])
    secret_box.configure(Settings(secret_key="the-new-secret-key-of-2026"))
    try:
        assert loop_accepts_signature(client, merchant.id)
    finally:  # later tests in this process (and the workers they start) write with the development key
        secret_box.configure(Settings(secret_key=DEVELOPMENT_SECRET_KEY))


@pytest.mark.several_connections
def test_rotation_without_the_old_key_is_a_message_and_changes_nothing(
    api: Api, client: TestClient, engine: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    subscribe_and_connect_loop(api, client)
    before = stored(engine, integration_configs.c.webhook_secret)
    monkeypatch.setenv("BOOMERANG_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("BOOMERANG_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("BOOMERANG_SECRET_KEY", "a-key-that-never-encrypted-anything")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(cli, ["admin", "rotate-secret-key"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 1
    assert "cannot be decrypted" in result.output
    assert stored(engine, integration_configs.c.webhook_secret) == before


def test_secret_box_reads_previous_keys_and_legacy_plaintext() -> None:
    old = SecretBox("old-key")
    token = old.encrypt("whsec_abc")
    assert token.startswith(PREFIX) and "whsec_abc" not in token
    assert old.encrypt("whsec_abc") != token  # random IV: equal secrets do not look equal at rest
    rotated = SecretBox("new-key", ["old-key"])
    assert rotated.decrypt(token) == "whsec_abc"
    assert SecretBox("new-key").decrypt(rotated.reencrypt(token)) == "whsec_abc"
    assert rotated.decrypt("plain-before-encryption") == "plain-before-encryption"
    assert SecretBox("new-key").decrypt(rotated.reencrypt("plain-before-encryption")) == "plain-before-encryption"
    with pytest.raises(SecretUnreadable):
        SecretBox("another-key").decrypt(token)
