"""Outbound shipments and carrier tracking events."""

from __future__ import annotations

from typing import Any

from tests.api.dock import shipment
from tests.errors import assert_error
from tests.support.builders import Api


def _event(api: Api, tracking_number: str, status: str, **extra: Any) -> Any:
    body = {"tracking_number": tracking_number, "status": status, "occurred_at": "2026-11-26T09:00:00Z", **extra}
    return api.client.post("/api/v1/carrier-events", json=body, headers=api.integration_token())


def test_a_registered_shipment_is_readable_by_id_and_tracking_number(api: Api) -> None:
    merchant, fc, _ = api.setup()
    product = api.product(merchant)
    sent = shipment(api, merchant, fc["id"], [product], quantity=2)
    assert sent["rts_scanned"] is False
    assert sent["label_cost"] == {"amount": "7.45", "currency_code": "USD"}
    assert sent["items"] == [{"product_id": product["id"], "sku": product["sku"], "quantity": 2, "lot_number": None}]
    assert api.client.get(f"/api/v1/shipments/{sent['id']}", headers=merchant.headers).json() == sent
    found = api.client.get(f"/api/v1/shipments?tracking_number={sent['tracking_number']}", headers=merchant.headers)
    assert found.json() == {"items": [sent], "next_cursor": None}


def test_shipment_items_may_name_products_by_sku_with_lots(api: Api) -> None:
    merchant, fc, _ = api.setup()
    product = api.product(merchant, is_lot_tracked=True)
    items = [
        {"sku": product["sku"], "quantity": 1, "lot_number": "A"},
        {"sku": product["sku"], "quantity": 2, "lot_number": "B"},
    ]
    sent = shipment(api, merchant, fc["id"], [], items=items)
    assert [(i["product_id"], i["lot_number"], i["quantity"]) for i in sent["items"]] == [
        (product["id"], "A", 1),
        (product["id"], "B", 2),
    ]


def test_shipments_are_paginated_newest_first(api: Api) -> None:
    merchant, fc, _ = api.setup()
    product = api.product(merchant)
    ids = [shipment(api, merchant, fc["id"], [product])["id"] for _ in range(3)]
    first = api.client.get("/api/v1/shipments?limit=2", headers=merchant.headers).json()
    second = api.client.get(f"/api/v1/shipments?limit=2&cursor={first['next_cursor']}", headers=merchant.headers).json()
    assert [s["id"] for s in first["items"] + second["items"]] == ids[::-1]
    assert second["next_cursor"] is None


def test_invalid_shipments_are_rejected(api: Api) -> None:
    merchant, fc, _ = api.setup()
    product = api.product(merchant)
    for fields in (
        {"items": []},
        {"items": [{"product_id": product["id"], "quantity": 0}]},
        {"items": [{"product_id": "prd_unknown", "quantity": 1}]},
        {"destination_country": "XX"},
        {"fulfillment_center_id": "fc_unknown"},
        {"label_cost": {"amount": "abc", "currency_code": "USD"}},
    ):
        payload = {
            "store_order_id": "#1",
            "fulfillment_center_id": fc["id"],
            "tracking_number": "1Z1",
            "carrier": "UPS",
            "label_cost": {"amount": "1.00", "currency_code": "USD"},
            "destination_country": "US",
            "items": [{"product_id": product["id"], "quantity": 1}],
            **fields,
        }
        response = api.client.post("/api/v1/shipments", json=payload, headers=merchant.headers)
        assert response.status_code == 422, (fields, response.text)


def test_another_merchants_shipment_is_not_found(api: Api) -> None:
    merchant, fc, _ = api.setup()
    sent = shipment(api, merchant, fc["id"], [api.product(merchant)])
    other = api.merchant()
    assert_error(api.client.get(f"/api/v1/shipments/{sent['id']}", headers=other.headers), 404, "shipment_not_found")
    listed = api.client.get(f"/api/v1/shipments?tracking_number={sent['tracking_number']}", headers=other.headers)
    assert listed.json()["items"] == []


def test_a_return_to_sender_event_marks_the_shipment(api: Api) -> None:
    merchant, fc, _ = api.setup()
    sent = shipment(api, merchant, fc["id"], [api.product(merchant)])
    response = _event(api, sent["tracking_number"], "ReturnToSender", description="Addressee unknown")
    assert response.status_code == 202
    assert response.json()["shipments_marked_rts"] == 1
    assert api.client.get(f"/api/v1/shipments/{sent['id']}", headers=merchant.headers).json()["rts_scanned"] is True


def test_other_statuses_do_not_mark_the_shipment(api: Api) -> None:
    merchant, fc, _ = api.setup()
    sent = shipment(api, merchant, fc["id"], [api.product(merchant)])
    for status in ("InTransit", "Delivered", "Exception"):
        assert _event(api, sent["tracking_number"], status).status_code == 202
    assert api.client.get(f"/api/v1/shipments/{sent['id']}", headers=merchant.headers).json()["rts_scanned"] is False


def test_events_on_a_returns_tracking_number_are_appended_without_changing_status(api: Api) -> None:
    merchant, fc, _ = api.setup()
    order = api.return_order(merchant, fc["id"], tracking_number="1ZRET-TRACK-1")
    _event(api, "1ZRET-TRACK-1", "InTransit", description="Departed facility")
    _event(api, "1ZRET-TRACK-1", "Delivered")
    body = api.client.get(f"/api/v1/returns/{order['id']}", headers=merchant.headers).json()
    assert body["status"] == "AwaitingArrival"
    assert [(e["status"], e["description"]) for e in body["tracking_events"]] == [
        ("InTransit", "Departed facility"),
        ("Delivered", None),
    ]


def test_unknown_statuses_are_rejected_and_unknown_tracking_numbers_accepted(api: Api) -> None:
    assert_error(_event(api, "1ZNOBODY", "Lost"), 422, "validation_error", "status")
    assert _event(api, "1ZNOBODY", "InTransit").status_code == 202


def test_carrier_events_need_an_integration_token(api: Api) -> None:
    merchant, _, operator = api.setup()
    body = {"tracking_number": "1Z", "status": "InTransit", "occurred_at": "2026-11-26T09:00:00Z"}
    for who in (merchant, operator):
        assert_error(api.client.post("/api/v1/carrier-events", json=body, headers=who.headers), 403, "forbidden")
    assert_error(api.client.post("/api/v1/carrier-events", json=body), 401, "unauthenticated")


def test_a_timestamp_without_offset_is_rejected(api: Api) -> None:
    naive = _event(api, "1Z", "InTransit", occurred_at="2026-11-26T09:00:00")
    assert_error(naive, 422, "validation_error", "occurred_at")
