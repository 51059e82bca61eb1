"""Loop webhooks: signed with X-Loop-Signature, deduplicated on a SHA-256 of the raw body."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.errors import assert_error
from tests.support.builders import Api, Merchant

SECRET = "loop-webhook-secret-91c2"
HEADER = "X-Loop-Signature"


def signature(secret: str, body: bytes) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def line_item(sku: str, line_item_id: int, reason: str = "Too big") -> dict[str, Any]:
    return {
        "line_item_id": str(line_item_id),
        "provider_line_item_id": str(9000 + line_item_id),
        "product_id": "7002111410382",
        "variant_id": "41681852399822",
        "sku": sku,
        "title": "Trail Runner",
        "price": "50.00",
        "return_reason": reason,
        "parent_return_reason": "Fit",
    }


def loop_return(
    trigger: str = "return.created",
    *,
    return_id: Any = "1673",
    state: str = "open",
    line_items: list[dict[str, Any]] | None = None,
    labels: list[dict[str, Any]] | None = None,
    edited_at: str | None = None,
) -> dict[str, Any]:
    """A Return-topic payload shaped like Loop's."""
    return {
        "topic": "return",
        "trigger": trigger,
        "shop_id": 12345,
        "id": return_id,
        "state": state,
        "created_at": "2026-11-27T08:00:00Z",
        "edited_at": edited_at,
        "total": "48.81",
        "order_id": 2871,
        "order_name": "#47727779",
        "provider_order_id": "58997314",
        "customer": "jf@example.com",
        "customer_detail": {"email": "jf@example.com", "first_name": "Jean", "last_name": "Launier"},
        "currency": "USD",
        "labels": labels or [],
        "line_items": line_items or [],
    }


def usps_label(tracking_number: Any) -> dict[str, Any]:
    return {
        "status": "new",
        "updated_at": "2026-11-27T08:10:00.000Z",
        "url": "https://partner.loopreturns.com/label/12345456",
        "rate": 1093,
        "carrier": "USPS",
        "tracking_number": tracking_number,
        "line_items": [987654321],
    }


class Loop:
    def __init__(self, client: TestClient, merchant: Merchant) -> None:
        self.client = client
        self.merchant = merchant
        self.url = f"/api/v1/integrations/loop/{merchant.id}/webhook"

    def post_raw(self, body: bytes, headers: dict[str, str] | None = None) -> Any:
        return self.client.post(self.url, content=body, headers={"content-type": "application/json", **(headers or {})})

    def send(self, document: dict[str, Any], secret: str = SECRET) -> Any:
        # Loop signs JSON with escaped slashes and no newlines; any exact byte string works the same.
        body = json.dumps(document, separators=(",", ":")).replace("/", "\\/").encode()
        return self.post_raw(body, {HEADER: signature(secret, body)})

    def returns(self, **query: str) -> list[dict[str, Any]]:
        response = self.client.get("/api/v1/returns", params=query, headers=self.merchant.headers)
        assert response.status_code == 200, response.text
        return list(response.json()["items"])


@pytest.fixture
def loop(api: Api, client: TestClient) -> Loop:
    merchant, fc, _ = api.setup()
    api.product(merchant, sku="RUNNER-42")
    api.product(merchant, sku="SOCKS-M")
    response = client.put(
        "/api/v1/integrations/loop",
        json={"webhook_secret": SECRET, "fulfillment_center_id": fc["id"]},
        headers=merchant.headers,
    )
    assert response.status_code == 200, response.text
    assert response.json()["webhook_url"] == f"/api/v1/integrations/loop/{merchant.id}/webhook"
    return Loop(client, merchant)


def test_return_created_makes_one_unit_per_line_item_grouped_by_sku(loop: Loop) -> None:
    items = [line_item("RUNNER-42", 1), line_item("RUNNER-42", 2), line_item("SOCKS-M", 3, "Changed mind")]
    response = loop.send(loop_return(line_items=items))
    assert response.status_code == 200, response.text
    assert response.json()["result"] == "Created"
    (created,) = loop.returns()
    assert created["reference_id"] == "LOOP-1673"
    assert created["channel"] == "Loop"
    assert created["store_order_id"] == "#47727779"
    assert created["customer_name"] == "Jean Launier"
    assert [(line["sku"], line["quantity"], line["reason"]) for line in created["inventory"]] == [
        ("RUNNER-42", 2, "Too big"),
        ("SOCKS-M", 1, "Changed mind"),
    ]


def test_label_on_return_created_sets_tracking_even_when_numeric(loop: Loop) -> None:
    loop.send(loop_return(line_items=[line_item("SOCKS-M", 1)], labels=[usps_label(123456789101112)]))
    assert loop.returns()[0]["tracking_number"] == "123456789101112"


def test_label_created_event_sets_tracking(loop: Loop) -> None:
    loop.send(loop_return(line_items=[line_item("SOCKS-M", 1)], labels=[usps_label("N/A")]))
    assert loop.returns()[0]["tracking_number"] is None
    label_event = {
        "topic": "label",
        "trigger": "label.created",
        "shop_id": "9876",
        "return_id": "1673",
        "order_id": "1234567890",
        "carrier": "USPS",
        "tracking_number": "9400111899223197428490",
        "label_status": "pre_transit",
        "label_updated_at": "2026-11-27T09:00:00+00:00",
    }
    response = loop.send(label_event)
    assert response.json()["result"] == "TrackingUpdated"
    assert loop.returns()[0]["tracking_number"] == "9400111899223197428490"


@pytest.mark.parametrize(("trigger", "state"), [("return.updated", "cancelled"), ("return.closed", "expired")])
def test_cancelled_or_expired_return_is_cancelled(loop: Loop, trigger: str, state: str) -> None:
    loop.send(loop_return(line_items=[line_item("SOCKS-M", 1)]))
    response = loop.send(loop_return(trigger, state=state, line_items=[line_item("SOCKS-M", 1)]))
    assert response.json()["result"] == "Cancelled"
    assert loop.returns()[0]["status"] == "Cancelled"


def test_closed_return_that_is_not_cancelled_changes_nothing(loop: Loop) -> None:
    loop.send(loop_return(line_items=[line_item("SOCKS-M", 1)]))
    response = loop.send(loop_return("return.closed", state="closed", line_items=[line_item("SOCKS-M", 1)]))
    assert response.json()["result"] == "Ignored"
    assert loop.returns()[0]["status"] == "AwaitingArrival"


def test_same_body_delivered_five_times_creates_one_return(loop: Loop) -> None:
    document = loop_return(line_items=[line_item("SOCKS-M", 1)])
    responses = [loop.send(document) for _ in range(5)]
    assert [r.status_code for r in responses] == [200] * 5
    assert [r.json()["duplicate"] for r in responses] == [False, True, True, True, True]
    assert len(loop.returns()) == 1


def test_another_event_of_the_same_return_is_not_a_duplicate(loop: Loop) -> None:
    loop.send(loop_return(line_items=[line_item("SOCKS-M", 1)]))
    update = loop_return(
        "return.updated", line_items=[line_item("SOCKS-M", 1)], labels=[usps_label("9400100000000000000001")]
    )
    response = loop.send(update)
    assert response.json()["duplicate"] is False
    assert response.json()["result"] == "TrackingUpdated"


@pytest.mark.parametrize("tamper", ["missing", "wrong_secret", "body_altered_by_one_byte", "garbage"])
def test_bad_signature_is_401_and_changes_nothing(loop: Loop, tamper: str) -> None:
    body = json.dumps(loop_return(line_items=[line_item("SOCKS-M", 1)])).encode()
    headers = {
        "missing": {},
        "wrong_secret": {HEADER: signature("not-the-secret", body)},
        "body_altered_by_one_byte": {HEADER: signature(SECRET, body)},
        "garbage": {HEADER: "%%%"},
    }[tamper]
    if tamper == "body_altered_by_one_byte":
        body = body.replace(b'"1673"', b'"1674"')
    response = loop.post_raw(body, headers)
    assert_error(response, 401, "invalid_signature")
    assert loop.returns() == []


def test_unknown_sku_is_422_and_nothing_is_created(loop: Loop) -> None:
    response = loop.send(loop_return(line_items=[line_item("SOCKS-M", 1), line_item("GHOST-SKU", 2)]))
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "unknown_product"
    assert "GHOST-SKU" in response.text
    assert loop.returns() == []


@pytest.mark.parametrize(
    ("document", "field"),
    [
        (loop_return(line_items=[]), "line_items"),
        (loop_return(line_items=[{"line_item_id": "1", "title": "no sku"}]), "line_items[0].sku"),
        ({**loop_return(line_items=[line_item("SOCKS-M", 1)]), "id": None}, "id"),
        ({**loop_return(line_items=[line_item("SOCKS-M", 1)]), "trigger": None}, "trigger"),
        ({**loop_return(line_items=[line_item("SOCKS-M", 1)]), "labels": "1Z"}, "labels"),
    ],
)
def test_malformed_payload_is_422_naming_the_field(loop: Loop, document: dict[str, Any], field: str) -> None:
    response = loop.send(document)
    assert_error(response, 422, "malformed_payload")
    assert response.json()["error"]["details"][0]["field"] == field
    assert loop.returns() == []


def test_a_created_return_with_a_used_tracking_number_is_refused_and_logged(loop: Loop, api: Api) -> None:
    (sock,) = [p for p in _products(loop) if p["sku"] == "SOCKS-M"]
    # one return per package, whichever FC it was sent to
    api.return_order(loop.merchant, api.fulfillment_center()["id"], [sock], tracking_number="9400USED0001")
    response = loop.send(loop_return(line_items=[line_item("SOCKS-M", 1)], labels=[usps_label("9400USED0001")]))
    assert response.status_code == 409, response.text
    assert response.json()["error"]["code"] == "duplicate_tracking_number"
    assert [r["channel"] for r in loop.returns()] == ["API"]  # nothing created
    logged = loop.client.get("/api/v1/integrations/events", headers=loop.merchant.headers).json()["items"]
    assert [(e["result"], e["error"]["code"]) for e in logged] == [("Rejected", "duplicate_tracking_number")]


def test_a_label_event_with_a_used_tracking_number_is_refused(loop: Loop, api: Api) -> None:
    loop.send(loop_return(line_items=[line_item("SOCKS-M", 1)]))
    (created,) = loop.returns()
    (sock,) = [p for p in _products(loop) if p["sku"] == "SOCKS-M"]
    api.return_order(loop.merchant, created["fulfillment_center"]["id"], [sock], tracking_number="9400USED0002")
    update = loop_return("return.updated", line_items=[line_item("SOCKS-M", 1)], labels=[usps_label("9400USED0002")])
    response = loop.send(update)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "duplicate_tracking_number"
    refreshed = loop.client.get(f"/api/v1/returns/{created['id']}", headers=loop.merchant.headers).json()
    assert refreshed["tracking_number"] is None


def _products(loop: Loop) -> list[dict[str, Any]]:
    return list(loop.client.get("/api/v1/products", headers=loop.merchant.headers).json()["items"])
