"""Races and edges of administrative writes that used to answer 500 on PostgreSQL."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine, select

from boomerang.adapters.tables.webhooks import integration_configs
from tests.support.builders import Api, send_at_once

# A live server, other processes or connections that must meet.
pytestmark = pytest.mark.several_connections

PAIRS = 15


def put_at_once(app: FastAPI, path: str, bodies: list[dict[str, Any]], headers: dict[str, str]) -> list[Any]:
    """PUT each body from its own thread and connection, all released together."""
    return send_at_once(app, "PUT", path, headers=headers, bodies=bodies)


def test_two_first_configurations_at_once_both_succeed_and_one_wins(
    app: FastAPI, api: Api, engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    fc = api.fulfillment_center()
    statuses: list[int] = []
    for pair in range(PAIRS):
        merchant = api.merchant()
        secrets = [f"whsec-pair{pair}-first", f"whsec-pair{pair}-second"]
        bodies = [{"webhook_secret": s, "fulfillment_center_id": fc["id"]} for s in secrets]
        results = put_at_once(app, "/api/v1/integrations/loop", bodies, merchant.headers)
        statuses += [r.status_code for r in results]
        with engine.connect() as conn:
            column = integration_configs.c.webhook_secret  # decrypted on read (stored encrypted at rest)
            stored = conn.execute(select(column).where(integration_configs.c.merchant_id == merchant.id)).scalars()
            assert list(stored) in ([secrets[0]], [secrets[1]])
    assert statuses == [200] * 2 * PAIRS
    assert "whsec-pair" not in caplog.text


@pytest.mark.parametrize("length", [192, 193, 199, 200])
def test_a_merchant_name_up_to_200_characters_is_created_with_its_api_key(api: Api, length: int) -> None:
    name = "N" * length
    response = api.client.post("/api/v1/admin/merchants", json={"name": name}, headers=api.admin)
    assert response.status_code == 201, response.text
    assert response.json()["name"] == name
    key = {"Authorization": f"Bearer {response.json()['api_key']}"}
    assert api.client.get("/api/v1/products", headers=key).status_code == 200
    again = api.client.post(f"/api/v1/admin/merchants/{response.json()['id']}/api-keys", headers=api.admin)
    assert again.status_code == 201, again.text


def test_a_merchant_name_of_201_characters_is_422(api: Api) -> None:
    response = api.client.post("/api/v1/admin/merchants", json={"name": "N" * 201}, headers=api.admin)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"
