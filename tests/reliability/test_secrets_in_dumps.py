"""No secret the service issues can be read from a copy of its database: the SQLite file (and its WAL) or a
`pg_dump`. Idempotent POSTs keep their responses for 48 hours to replay them; a response that carries a
just-issued credential is stored encrypted, and the replay still returns the same body."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, String, select, type_coerce

from boomerang.adapters import secret_box
from boomerang.adapters.secret_box import PREFIX
from boomerang.adapters.tables.core import idempotency_keys
from boomerang.config import DEVELOPMENT_SECRET_KEY, Settings
from tests.api.test_secrets_at_rest import NEW_KEY, rotate_to_a_new_key
from tests.conftest import ADMIN_TOKEN
from tests.support.builders import Api, bearer, unique

V1 = "/api/v1"
HOOK_URL = "https://hooks.example.com/in"


def issue_every_kind_of_secret(api: Api) -> tuple[list[str], int]:
    """Every POST that answers a secret, each sent twice with one Idempotency-Key; (secrets, replays)."""
    fc = api.fulfillment_center()
    calls: list[tuple[str, dict[str, Any], dict[str, str], str]] = [
        ("/admin/merchants", {"name": unique("Dump Co")}, api.admin, "api_key"),
        ("/admin/operators", {"name": unique("Op"), "fulfillment_center_ids": [fc["id"]]}, api.admin, "token"),
        ("/admin/integration-tokens", {"name": unique("carrier")}, api.admin, "token"),
    ]
    secrets: list[str] = []
    replays = 0
    merchant_key = ""
    for path, body, headers, field in calls:
        first, replay = post_twice(api, path, body, headers)
        secrets.append(first[field])
        replays += replay == first
        merchant_key = merchant_key or first.get("api_key", "")
    merchant = api.client.get(f"{V1}/admin/merchants", headers=api.admin).json()["items"][0]
    more_calls: list[tuple[str, dict[str, Any], dict[str, str], str]] = [
        (f"/admin/merchants/{merchant['id']}/api-keys", {}, api.admin, "api_key"),
        (
            "/webhooks",
            {"url": "https://hooks.example.com/in", "topics": ["return.created"]},
            bearer(merchant_key),
            "secret",
        ),
    ]
    for path, body, headers, field in more_calls:
        first, replay = post_twice(api, path, body, headers)
        secrets.append(first[field])
        replays += replay == first
    return secrets, replays


def post_twice(api: Api, path: str, body: dict[str, Any], headers: dict[str, str]) -> tuple[dict[str, Any], Any]:
    keyed = {**headers, "Idempotency-Key": unique("dump")}
    first = api.client.post(f"{V1}{path}", json=body, headers=keyed)
    assert first.status_code == 201, first.text
    replay = api.client.post(f"{V1}{path}", json=body, headers=keyed)
    assert replay.headers.get("idempotent-replayed") == "true"
    return first.json(), replay.json()


def database_copy(engine: Engine) -> bytes:
    """What a backup of the database holds: the SQLite file and its WAL, or a plain-text pg_dump."""
    url = engine.url
    if url.get_backend_name() == "sqlite":
        path = Path(str(url.database))
        files = [path, path.with_name(path.name + "-wal")]
        return b"".join(f.read_bytes() for f in files if f.exists())
    dump = subprocess.run(
        ["pg_dump", "--data-only", "-h", url.host or "127.0.0.1", "-U", url.username or "postgres", str(url.database)],
        capture_output=True,
        check=True,
        timeout=120,
    )
    return dump.stdout


def test_no_issued_secret_can_be_read_from_the_database_file_or_a_dump(api: Api, engine: Engine) -> None:
    secrets, replays = issue_every_kind_of_secret(api)
    assert replays == len(secrets) == 5  # every replay returned the very body that carried the secret
    with engine.connect() as connection:
        stored = connection.execute(select(idempotency_keys.c.key)).all()
    assert len(stored) == 5
    copy = database_copy(engine)
    found = [secret[:8] + "…" for secret in secrets if secret.encode() in copy]
    print(f"\nRELIABILITY FIGURES {len(secrets)} secrets issued with Idempotency-Key, {len(copy):,} bytes searched")
    assert found == [], f"secrets readable in a copy of the database: {found}"
    assert ADMIN_TOKEN.encode() not in copy


@pytest.mark.several_connections  # the CLI opens its own engine
def test_a_stored_response_is_encrypted_and_still_replays_after_a_key_rotation(
    api: Api, engine: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    keyed = {**api.admin, "Idempotency-Key": "rotate-1"}
    first = api.client.post(f"{V1}/admin/integration-tokens", json={"name": "rotating"}, headers=keyed)
    assert first.status_code == 201
    raw = type_coerce(idempotency_keys.c.response_body, String)  # the stored text, not the decrypted value
    with engine.connect() as connection:
        (before,) = connection.execute(select(raw)).one()
    assert before.startswith(PREFIX) and first.json()["token"] not in before
    result = rotate_to_a_new_key(engine, monkeypatch, tmp_path)
    assert result.exit_code == 0, result.output
    with engine.connect() as connection:
        (after,) = connection.execute(select(raw)).one()
    assert after.startswith(PREFIX) and after != before
    secret_box.configure(Settings(secret_key=NEW_KEY))  # the server restarted on the new key
    try:
        replay = api.client.post(f"{V1}/admin/integration-tokens", json={"name": "rotating"}, headers=keyed)
    finally:
        secret_box.configure(Settings(secret_key=DEVELOPMENT_SECRET_KEY))  # the key every other test writes with
    assert replay.headers.get("idempotent-replayed") == "true" and replay.json() == first.json()
