"""AfterShip Returns webhooks: signed with as-signature-hmac-sha256, deduplicated on the envelope id."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.errors import assert_error
from tests.support.builders import Api, Merchant

SECRET = "aftership-webhook-secret-7f3a"
HEADER = "as-signature-hmac-sha256"


def signature(secret: str, body: bytes) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def aftership_event(
    event: str = "return.approved",
    *,
    rma: str = "A1B2C",
    items: list[dict[str, Any]] | None = None,
    shipments: list[dict[str, Any]] | None = None,
    approval_status: str = "approved",
    return_id: str = "b3eedf69b7c0410d8975d4350c007705",
) -> dict[str, Any]:
    """An envelope shaped like AfterShip Returns' (API version 2024-07)."""
    return {
        "id": uuid.uuid4().hex,
        "version": "2024-07",
        "event": event,
        "created_at": "2026-11-27T09:30:21.798Z",
        "data": {
            "id": return_id,
            "rma_number": rma,
            "filed_by": "shopper",
            "approval_status": approval_status,
            "merchant_note": None,
            "order": {
                "external_id": "4254002020558",
                "order_number": "10001",
                "order_name": "#10001",
                "customer": {"emails": ["customer@example.com"]},
                "country": "USA",
            },
            "return_items": items or [],
            "shipments": shipments or [],
            "created_at": "2026-11-27T09:00:00.000Z",
        },
    }


def item(sku: str, quantity: int | None = 1, reason: str | None = "Too small") -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": uuid.uuid4().hex,
        "external_order_item_id": "10579097059534",
        "external_product_id": "7002111410382",
        "external_variant_id": "41681852399822",
        "sku": sku,
        "title": "T-shirt",
        "ordered_quantity": 3,
        "return_reason": reason,
    }
    if quantity is not None:
        entry["return_quantity"] = quantity
    return entry


class AfterShip:
    """Posts events the way AfterShip does, to one merchant's endpoint."""

    def __init__(self, client: TestClient, merchant: Merchant) -> None:
        self.client = client
        self.merchant = merchant
        self.url = f"/api/v1/integrations/aftership/{merchant.id}/webhook"

    def post_raw(self, body: bytes, headers: dict[str, str] | None = None) -> Any:
        return self.client.post(self.url, content=body, headers={"content-type": "application/json", **(headers or {})})

    def send(self, document: dict[str, Any], secret: str = SECRET) -> Any:
        body = json.dumps(document).encode()
        return self.post_raw(body, {HEADER: signature(secret, body)})

    def returns(self, **query: str) -> list[dict[str, Any]]:
        response = self.client.get("/api/v1/returns", params=query, headers=self.merchant.headers)
        assert response.status_code == 200, response.text
        return list(response.json()["items"])

    def events(self, **query: Any) -> dict[str, Any]:
        response = self.client.get("/api/v1/integrations/events", params=query, headers=self.merchant.headers)
        assert response.status_code == 200, response.text
        return dict(response.json())


@pytest.fixture
def setup(api: Api, client: TestClient) -> tuple[AfterShip, dict[str, Any], list[dict[str, Any]]]:
    merchant, fc, _ = api.setup()
    products = [api.product(merchant, sku="TSHIRT-BLUE-M"), api.product(merchant, sku="CAP-RED")]
    response = client.put(
        "/api/v1/integrations/aftership",
        json={"webhook_secret": SECRET, "fulfillment_center_id": fc["id"]},
        headers=merchant.headers,
    )
    assert response.status_code == 200, response.text
    return AfterShip(client, merchant), fc, products


def test_approved_return_creates_a_return_awaiting_arrival(setup: Any) -> None:
    aftership, fc, _ = setup
    document = aftership_event(items=[item("TSHIRT-BLUE-M", 2, "Too small"), item("CAP-RED", None, None)])
    response = aftership.send(document)
    assert response.status_code == 200, response.text
    assert response.json()["result"] == "Created"
    (created,) = aftership.returns()
    assert created["id"] == response.json()["return_id"]
    assert created["channel"] == "AfterShip"
    assert created["status"] == "AwaitingArrival"
    assert created["fulfillment_center"]["id"] == fc["id"]
    assert created["store_order_id"] == "10001"
    assert [(line["sku"], line["quantity"], line["reason"]) for line in created["inventory"]] == [
        ("TSHIRT-BLUE-M", 2, "Too small"),
        ("CAP-RED", 1, None),
    ]


def test_short_rma_is_padded_with_prefix_and_stays_searchable(setup: Any) -> None:
    aftership, _, _ = setup
    aftership.send(aftership_event(rma="R7K", items=[item("CAP-RED")]))
    (created,) = aftership.returns(q="R7K")
    assert created["reference_id"] == "AS-00R7K"


def test_rma_of_eight_or_more_characters_is_the_reference_id(setup: Any) -> None:
    aftership, _, _ = setup
    aftership.send(aftership_event(rma="EUGCX4FL", items=[item("CAP-RED")]))
    assert [r["reference_id"] for r in aftership.returns()] == ["EUGCX4FL"]


def test_submitted_return_creates_only_once_approved(setup: Any) -> None:
    aftership, _, _ = setup
    pending = aftership.send(aftership_event("return.submitted", approval_status="submitted", items=[item("CAP-RED")]))
    assert pending.json()["result"] == "Ignored"
    assert aftership.returns() == []
    approved = aftership.send(aftership_event("return.submitted", items=[item("CAP-RED")]))
    assert approved.json()["result"] == "Created"


def test_lines_with_the_same_sku_are_grouped(setup: Any) -> None:
    aftership, _, _ = setup
    aftership.send(aftership_event(items=[item("CAP-RED", 1), item("CAP-RED", 2)]))
    (created,) = aftership.returns()
    assert [(line["sku"], line["quantity"]) for line in created["inventory"]] == [("CAP-RED", 3)]


@pytest.mark.parametrize(
    "tamper",
    ["missing", "garbage", "wrong_secret", "body_altered_by_one_byte", "signature_of_empty_body"],
)
def test_bad_signature_is_401_and_changes_nothing(setup: Any, tamper: str) -> None:
    aftership, _, _ = setup
    body = json.dumps(aftership_event(items=[item("CAP-RED")])).encode()
    headers = {
        "missing": {},
        "garbage": {HEADER: "bm90LWEtc2lnbmF0dXJl"},
        "wrong_secret": {HEADER: signature("another-secret", body)},
        "body_altered_by_one_byte": {HEADER: signature(SECRET, body)},
        "signature_of_empty_body": {HEADER: signature(SECRET, b"")},
    }[tamper]
    if tamper == "body_altered_by_one_byte":
        body = body.replace(b'"A1B2C"', b'"A1B2D"')
    response = aftership.post_raw(body, headers)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_signature"
    assert aftership.returns() == []
    assert aftership.events()["items"] == []


def test_good_signature_over_the_exact_raw_bytes_is_accepted(setup: Any) -> None:
    aftership, _, _ = setup
    body = json.dumps(aftership_event(items=[item("CAP-RED")]), indent=2).encode()  # whitespace is signed too
    response = aftership.post_raw(body, {HEADER: signature(SECRET, body)})
    assert response.status_code == 200, response.text


def test_same_event_delivered_five_times_creates_one_return(setup: Any) -> None:
    aftership, _, _ = setup
    document = aftership_event(items=[item("CAP-RED")])
    responses = [aftership.send(document) for _ in range(5)]
    assert [r.status_code for r in responses] == [200] * 5
    assert [r.json()["duplicate"] for r in responses] == [False, True, True, True, True]
    assert {r.json()["id"] for r in responses} == {responses[0].json()["id"]}
    assert len(aftership.returns()) == 1
    assert len(aftership.events()["items"]) == 1


def test_unknown_sku_is_422_and_nothing_is_created(setup: Any, api: Api) -> None:
    aftership, _, _ = setup
    document = aftership_event(items=[item("CAP-RED"), item("NO-SUCH-SKU")])
    response = aftership.send(document)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "unknown_product"
    assert "NO-SUCH-SKU" in json.dumps(error)
    assert aftership.returns() == []
    (logged,) = aftership.events()["items"]
    assert logged["result"] == "Rejected"
    assert logged["error"]["code"] == "unknown_product"


def test_rejected_event_is_processed_when_redelivered_after_the_fix(setup: Any, api: Api) -> None:
    aftership, _, _ = setup
    document = aftership_event(items=[item("NEW-SKU-1")])
    assert_error(aftership.send(document), 422, "unknown_product", "inventory[0]")
    api.product(aftership.merchant, sku="NEW-SKU-1")
    retried = aftership.send(document)
    assert retried.status_code == 200
    assert retried.json()["result"] == "Created"


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda d: d.pop("id"), "id"),
        (lambda d: d["data"].pop("rma_number"), "data.rma_number"),
        (lambda d: d["data"].update(return_items=[]), "data.return_items"),
        (lambda d: d["data"].update(return_items="CAP-RED"), "data.return_items"),
        (lambda d: d["data"]["return_items"][0].pop("sku"), "data.return_items[0].sku"),
        (lambda d: d["data"]["return_items"][0].update(return_quantity=0), "data.return_items[0].return_quantity"),
        (lambda d: d["data"]["return_items"][0].update(return_quantity="2"), "data.return_items[0].return_quantity"),
    ],
)
def test_malformed_payload_is_422_naming_the_field(setup: Any, mutate: Any, field: str) -> None:
    aftership, _, _ = setup
    document = aftership_event(items=[item("CAP-RED")])
    mutate(document)
    response = aftership.send(document)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "malformed_payload"
    assert response.json()["error"]["details"][0]["field"] == field
    assert aftership.returns() == []


def test_body_that_is_not_json_is_400(setup: Any) -> None:
    aftership, _, _ = setup
    body = b"{not json"
    response = aftership.post_raw(body, {HEADER: signature(SECRET, body)})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed_json"


def test_shipment_recorded_sets_the_tracking_number(setup: Any) -> None:
    aftership, _, _ = setup
    aftership.send(aftership_event(items=[item("CAP-RED")]))
    shipment = [{"tracking_number": "1Z999AA10123456784", "slug": "ups", "label": None}]
    response = aftership.send(aftership_event("return.shipment.recorded", items=[item("CAP-RED")], shipments=shipment))
    assert response.json()["result"] == "TrackingUpdated"
    assert aftership.returns()[0]["tracking_number"] == "1Z999AA10123456784"
    assert aftership.returns(tracking_number="1Z999AA10123456784")


@pytest.mark.parametrize("event", ["return.rejected", "return.expired"])
def test_rejected_or_expired_return_is_cancelled(setup: Any, event: str) -> None:
    aftership, _, _ = setup
    aftership.send(aftership_event(items=[item("CAP-RED")]))
    response = aftership.send(aftership_event(event, approval_status="rejected", items=[item("CAP-RED")]))
    assert response.json()["result"] == "Cancelled"
    assert aftership.returns()[0]["status"] == "Cancelled"
    again = aftership.send(aftership_event(event, approval_status="rejected", items=[item("CAP-RED")]))
    assert again.status_code == 200
    assert again.json()["result"] == "Ignored"


def test_other_events_are_acknowledged_and_ignored(setup: Any) -> None:
    aftership, _, _ = setup
    response = aftership.send(aftership_event("return.resolved", items=[item("CAP-RED")]))
    assert response.status_code == 200
    assert response.json()["result"] == "Ignored"
    assert aftership.returns() == []


def test_merchant_without_configuration_gets_404(api: Api, client: TestClient) -> None:
    merchant = api.merchant()
    response = AfterShip(client, merchant).send(aftership_event(items=[item("CAP-RED")]))
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "integration_not_configured"


def test_event_log_is_paginated_and_private_to_the_merchant(setup: Any, api: Api, client: TestClient) -> None:
    aftership, _, _ = setup
    for _ in range(3):
        aftership.send(aftership_event("return.resolved"))
    first = aftership.events(limit=2)
    assert len(first["items"]) == 2 and first["next_cursor"]
    second = aftership.events(limit=2, cursor=first["next_cursor"])
    assert len(second["items"]) == 1 and second["next_cursor"] is None
    assert first["items"][0]["payload"]["event"] == "return.resolved"
    other = api.merchant()
    assert client.get("/api/v1/integrations/events", headers=other.headers).json()["items"] == []


def test_configuration_needs_a_known_fulfillment_center(api: Api, client: TestClient) -> None:
    merchant = api.merchant()
    response = client.put(
        "/api/v1/integrations/aftership",
        json={"webhook_secret": SECRET, "fulfillment_center_id": "fc_nope"},
        headers=merchant.headers,
    )
    assert_error(response, 422, "unknown_fulfillment_center", "fulfillment_center_id")


def test_an_approved_return_with_a_used_tracking_number_is_refused_and_logged(setup: Any, api: Api) -> None:
    aftership, fc, products = setup
    api.return_order(aftership.merchant, fc["id"], [products[1]], tracking_number="1ZUSED0001")
    shipments = [{"tracking_number": "1ZUSED0001", "slug": "ups", "label": None}]
    response = aftership.send(aftership_event(items=[item("CAP-RED")], shipments=shipments))
    assert response.status_code == 409, response.text
    assert response.json()["error"]["code"] == "duplicate_tracking_number"
    assert [r["channel"] for r in aftership.returns()] == ["API"]  # nothing created
    (logged,) = aftership.events()["items"]
    assert (logged["result"], logged["error"]["code"], logged["return_id"]) == (
        "Rejected",
        "duplicate_tracking_number",
        None,
    )


def test_a_shipment_event_with_a_used_tracking_number_is_refused_and_changes_nothing(setup: Any, api: Api) -> None:
    aftership, fc, products = setup
    api.return_order(aftership.merchant, fc["id"], [products[1]], tracking_number="1ZUSED0002")
    created = aftership.send(aftership_event(items=[item("CAP-RED")])).json()
    shipments = [{"tracking_number": "1ZUSED0002", "slug": "ups", "label": None}]
    response = aftership.send(aftership_event("return.shipment.recorded", items=[item("CAP-RED")], shipments=shipments))
    assert_error(response, 409, "duplicate_tracking_number")
    own = api.client.get(f"/api/v1/returns/{created['return_id']}", headers=aftership.merchant.headers).json()
    assert own["tracking_number"] is None
    assert [e["result"] for e in aftership.events()["items"]] == ["Rejected", "Created"]
