"""A warehouse floor built through the admin and merchant API of a running server: an FC of its own,
a merchant, an operator who signs in with a password, products, returns and outbound shipments."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx

PASSWORD = "station-floor-pass"
_numbers = itertools.count(1)


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:6].upper()}{next(_numbers):03d}"


@dataclass
class Floor:
    api: httpx.Client
    admin: dict[str, str]
    fc: dict[str, Any]
    merchant_id: str
    merchant: dict[str, str]
    operator_login: tuple[str, str]
    merchant_login: tuple[str, str]
    carrier: dict[str, str] = field(default_factory=dict)

    def _ok(self, response: httpx.Response) -> Any:
        assert response.status_code in (200, 201, 202), response.text
        return response.json()

    def product(self, preferences: dict[str, Any] | None = None, **fields: Any) -> dict[str, Any]:
        body = {"sku": unique("SKU"), "name": unique("Item"), **fields}
        product = self._ok(self.api.post("/api/v1/products", json=body, headers=self.merchant))
        if preferences:
            url = f"/api/v1/products/{product['id']}/return-preferences"
            self._ok(self.api.put(url, json=preferences, headers=self.merchant))
        return dict(product)

    def return_order(self, lines: list[tuple[dict[str, Any], int]]) -> dict[str, Any]:
        body = {
            "reference_id": unique("RMA"),
            "fulfillment_center_id": self.fc["id"],
            "inventory": [{"product_id": p["id"], "quantity": q} for p, q in lines],
            "customer_name": "Ana Silva",
        }
        return dict(self._ok(self.api.post("/api/v1/returns", json=body, headers=self.merchant)))

    def shipment(self, product: dict[str, Any], *, returned_to_sender: bool = False) -> dict[str, Any]:
        body = {
            "store_order_id": unique("#"),
            "fulfillment_center_id": self.fc["id"],
            "tracking_number": unique("1ZOUT"),
            "carrier": "UPS",
            "label_cost": {"amount": "7.45", "currency_code": "USD"},
            "destination_country": "US",
            "customer_name": "Ben Okafor",
            "items": [{"product_id": product["id"], "quantity": 1}],
        }
        sent = self._ok(self.api.post("/api/v1/shipments", json=body, headers=self.merchant))
        if returned_to_sender:
            event = {
                "tracking_number": sent["tracking_number"],
                "status": "ReturnToSender",
                "occurred_at": datetime.now(UTC).isoformat(),
            }
            self._ok(self.api.post("/api/v1/carrier-events", json=event, headers=self.carrier))
        return dict(sent)

    def get_return(self, return_id: str) -> dict[str, Any]:
        return dict(self._ok(self.api.get(f"/api/v1/returns/{return_id}", headers=self.merchant)))


def build_floor(base_url: str, admin: dict[str, str]) -> Floor:
    """A new FC, merchant, operator user (this FC only) and merchant user on the server at `base_url`."""
    api = httpx.Client(base_url=base_url, timeout=30)

    def ok(response: httpx.Response) -> Any:
        assert response.status_code in (200, 201), response.text
        return response.json()

    fc = ok(
        api.post("/api/v1/admin/fulfillment-centers", json={"name": unique("Dock"), "country": "US"}, headers=admin)
    )
    merchant = ok(api.post("/api/v1/admin/merchants", json={"name": unique("Shop")}, headers=admin))
    operator_email = f"{unique('op').lower()}@floor.example"
    ok(
        api.post(
            "/api/v1/admin/users",
            json={
                "email": operator_email,
                "password": PASSWORD,
                "role": "Operator",
                "fulfillment_center_ids": [fc["id"]],
            },
            headers=admin,
        )
    )
    merchant_email = f"{unique('shop').lower()}@floor.example"
    shopkeeper = {"email": merchant_email, "password": PASSWORD, "role": "Merchant", "merchant_id": merchant["id"]}
    ok(api.post("/api/v1/admin/users", json=shopkeeper, headers=admin))
    carrier = ok(api.post("/api/v1/admin/integration-tokens", json={"name": unique("carrier")}, headers=admin))
    return Floor(
        api=api,
        admin=admin,
        fc=fc,
        merchant_id=merchant["id"],
        merchant={"Authorization": f"Bearer {merchant['api_key']}"},
        operator_login=(operator_email, PASSWORD),
        merchant_login=(merchant_email, PASSWORD),
        carrier={"Authorization": f"Bearer {carrier['token']}"},
    )
