"""One-line builders of valid objects through the public API, and an injectable clock."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

from fastapi.testclient import TestClient

from tests.support.concurrency import each_at_once

_counter = itertools.count(1)


class FrozenClock:
    """A clock tests move by hand."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 11, 27, 10, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(microseconds=1)
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def unique(prefix: str) -> str:
    return f"{prefix}-{next(_counter):05d}"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@dataclass
class Merchant:
    id: str
    api_key: str
    headers: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        self.headers = bearer(self.api_key)


@dataclass
class Operator:
    id: str
    token: str
    fulfillment_center_ids: list[str]
    headers: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        self.headers = bearer(self.token)


class Api:
    """Builds tenants, products and returns over HTTP, asserting each step succeeded."""

    def __init__(self, client: TestClient, admin_token: str) -> None:
        self.client = client
        self.admin = bearer(admin_token)

    def _ok(self, response: Any, status: int = 201) -> Any:
        assert response.status_code == status, response.text
        return response.json()

    def merchant(self, name: str | None = None) -> Merchant:
        body = self._ok(
            self.client.post("/api/v1/admin/merchants", json={"name": name or unique("Merchant")}, headers=self.admin)
        )
        return Merchant(body["id"], body["api_key"])

    def fulfillment_center(self, country: str = "US", name: str | None = None) -> dict[str, Any]:
        payload = {
            "name": name or unique("FC"),
            "country": country,
            "address_line1": "1 Dock Rd",
            "city": "Reno",
            "postal_code": "89501",
        }
        return dict(self._ok(self.client.post("/api/v1/admin/fulfillment-centers", json=payload, headers=self.admin)))

    def operator(self, *fc_ids: str) -> Operator:
        body = self._ok(
            self.client.post(
                "/api/v1/admin/operators",
                json={"name": unique("Operator"), "fulfillment_center_ids": list(fc_ids)},
                headers=self.admin,
            )
        )
        return Operator(body["id"], body["token"], list(fc_ids))

    def integration_token(self) -> dict[str, str]:
        body = self._ok(
            self.client.post("/api/v1/admin/integration-tokens", json={"name": unique("carrier")}, headers=self.admin)
        )
        return bearer(body["token"])

    def product(self, merchant: Merchant, **fields: Any) -> dict[str, Any]:
        payload = {"sku": unique("SKU"), "name": unique("Product"), **fields}
        return dict(self._ok(self.client.post("/api/v1/products", json=payload, headers=merchant.headers)))

    def return_order(
        self, merchant: Merchant, fc_id: str, products: list[dict[str, Any]] | None = None, **fields: Any
    ) -> dict[str, Any]:
        products = products or [self.product(merchant)]
        payload = {
            "reference_id": unique("RMA-REF"),
            "fulfillment_center_id": fc_id,
            "inventory": [{"product_id": p["id"], "quantity": 1} for p in products],
            **fields,
        }
        return dict(self._ok(self.client.post("/api/v1/returns", json=payload, headers=merchant.headers)))

    def setup(self) -> tuple[Merchant, dict[str, Any], Operator]:
        """A merchant, a US FC and an operator there: the usual cast of a test."""
        merchant = self.merchant()
        fc = self.fulfillment_center()
        return merchant, fc, self.operator(fc["id"])


def post_at_once(
    app: Any, path: str, *, headers: dict[str, str], json: Any = None, times: int = 2, bodies: list[Any] | None = None
) -> list[Any]:
    """POST from `times` threads released together (real separate connections): the same `json`, or one of
    `bodies` each."""
    return send_at_once(app, "POST", path, headers=headers, bodies=bodies if bodies is not None else [json] * times)


def send_at_once(app: Any, method: str, path: str, *, headers: dict[str, str], bodies: list[Any]) -> list[Any]:
    """One request per body, each from its own thread and connection, all released together."""
    calls = [partial(_send, method=method, path=path, json=body, headers=headers) for body in bodies]
    return each_at_once(lambda: TestClient(app), calls)


def _send(client: TestClient, *, method: str, path: str, json: Any, headers: dict[str, str]) -> Any:
    return client.request(method, path, json=json, headers=headers)
