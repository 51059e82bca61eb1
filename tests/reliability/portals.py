"""Signed deliveries from AfterShip Returns and Loop, for tests that send them hostile bodies."""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient

from tests.support.builders import Api, Merchant

SECRETS = {"aftership": "aftership-hostile-secret", "loop": "loop-hostile-secret"}
HEADERS = {"aftership": "as-signature-hmac-sha256", "loop": "X-Loop-Signature"}


def signature(secret: str, body: bytes) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


@dataclass
class Portal:
    """One merchant with both portals configured; `send` signs any bytes correctly."""

    client: TestClient
    merchant: Merchant
    fc_id: str

    def send(self, provider: str, body: bytes) -> Any:
        headers = {"content-type": "application/json", HEADERS[provider]: signature(SECRETS[provider], body)}
        url = f"/api/v1/integrations/{provider}/{self.merchant.id}/webhook"
        return self.client.post(url, content=body, headers=headers)

    def return_count(self) -> int:
        response = self.client.get("/api/v1/returns", params={"limit": 200}, headers=self.merchant.headers)
        assert response.status_code == 200, response.text
        return len(response.json()["items"])


def configure_portals(api: Api) -> Portal:
    merchant, fc, _ = api.setup()
    api.product(merchant, sku="RUNNER-42")
    for provider, secret in SECRETS.items():
        response = api.client.put(
            f"/api/v1/integrations/{provider}",
            json={"webhook_secret": secret, "fulfillment_center_id": fc["id"]},
            headers=merchant.headers,
        )
        assert response.status_code == 200, response.text
    return Portal(api.client, merchant, fc["id"])


def loop_body(return_id: str = "1673", sku: str = "RUNNER-42", tracking: str = "9400100000000000000001") -> str:
    """A Loop return.created, as JSON text with `return_id` inserted verbatim (so it may be any JSON)."""
    return (
        '{"topic":"return","trigger":"return.created","id":' + return_id + ',"state":"open",'
        '"order_name":"#1001","customer_detail":{"first_name":"Jean","last_name":"L"},'
        '"labels":[{"tracking_number":"' + tracking + '"}],'
        '"line_items":[{"sku":"' + sku + '","return_reason":"Too big"}]}'
    )


def aftership_body(rma: str = '"A1B2C"', data_id: str = '"b3ee"', sku: str = "RUNNER-42") -> str:
    """An AfterShip return.approved with `rma` and `data_id` inserted verbatim."""
    return (
        '{"id":"evt-1","event":"return.approved","data":{"id":' + data_id + ',"rma_number":' + rma + ","
        '"approval_status":"approved","order":{"order_number":"10001"},'
        '"return_items":[{"sku":"' + sku + '","return_quantity":1,"return_reason":"Too small"}]}}'
    )
