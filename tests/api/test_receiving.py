"""Receiving at the dock: every outcome of the matching order, fees at arrival, FC scoping."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, event, select

from boomerang.adapters.tables.core import outbox_events
from tests.api.dock import arrived, scan, shipment
from tests.errors import assert_error
from tests.support.builders import Api


def _carrier_event(api: Api, tracking_number: str, status: str = "ReturnToSender") -> None:
    body = {"tracking_number": tracking_number, "status": status, "occurred_at": "2026-11-26T09:00:00Z"}
    response = api.client.post("/api/v1/carrier-events", json=body, headers=api.integration_token())
    assert response.status_code == 202, response.text


def test_scanning_the_reference_id_matches_the_return_and_it_arrives(api: Api) -> None:
    merchant, fc, operator = api.setup()
    order = api.return_order(merchant, fc["id"])
    response = scan(api, operator, fc["id"], order["reference_id"])
    assert response.status_code == 201
    body = response.json()
    assert body["outcome"] == "matched" and body["receipt_id"] and body["candidates"] == []
    assert body["return"]["id"] == order["id"]
    assert body["return"]["status"] == "Arrived"
    assert body["return"]["arrived_date"] is not None
    assert [h["status"] for h in body["return"]["status_history"]] == ["AwaitingArrival", "Arrived"]


def test_scanning_the_return_tracking_number_matches(api: Api) -> None:
    merchant, fc, operator = api.setup()
    order = api.return_order(merchant, fc["id"], tracking_number="1ZRETURN0001")
    body = scan(api, operator, fc["id"], "1ZRETURN0001").json()
    assert body["outcome"] == "matched" and body["return"]["id"] == order["id"]


def test_a_regular_return_is_charged_the_processing_fee_at_arrival(api: Api) -> None:
    merchant, fc, operator = api.setup()
    order = arrived(api, operator, api.return_order(merchant, fc["id"]))
    assert [(t["transaction_type"], t["amount"]) for t in order["transactions"]] == [
        ("ReturnProcessingFee", {"amount": "3.00", "currency_code": "USD"})
    ]
    assert order["invoice_amount"] == {"amount": "3.00", "currency_code": "USD"}


def test_the_processing_fee_comes_from_the_merchants_fee_schedule(api: Api) -> None:
    merchant, fc, operator = api.setup()
    fee = lambda amount: {"amount": amount, "currency_code": "USD"}  # noqa: E731
    schedule = {
        "return_processing_fee": fee("4.25"),
        "quarantine_storage_fee_per_unit_day": fee("0.05"),
        "disposal_fee_per_unit": fee("0.00"),
        "removal_fee_per_unit": fee("0.00"),
    }
    response = api.client.put(f"/api/v1/admin/merchants/{merchant.id}/fee-schedule", json=schedule, headers=api.admin)
    assert response.status_code == 200, response.text
    order = arrived(api, operator, api.return_order(merchant, fc["id"]))
    assert order["transactions"][0]["amount"] == fee("4.25")


def test_a_second_scan_of_an_arrived_return_is_already_arrived(api: Api) -> None:
    merchant, fc, operator = api.setup()
    order = api.return_order(merchant, fc["id"])
    assert scan(api, operator, fc["id"], order["reference_id"]).status_code == 201
    response = scan(api, operator, fc["id"], order["reference_id"])
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "already_arrived"
    fees = api.client.get(f"/api/v1/returns/{order['id']}", headers=merchant.headers).json()["transactions"]
    assert len(fees) == 1


def test_a_shipment_with_an_rts_scan_becomes_an_rts_return_with_its_items(api: Api) -> None:
    merchant, fc, operator = api.setup()
    products = [api.product(merchant), api.product(merchant)]
    sent = shipment(api, merchant, fc["id"], products, quantity=2)
    _carrier_event(api, sent["tracking_number"])
    assert api.client.get(f"/api/v1/shipments/{sent['id']}", headers=merchant.headers).json()["rts_scanned"] is True
    body = scan(api, operator, fc["id"], sent["tracking_number"]).json()
    assert body["outcome"] == "rts_created"
    created = body["return"]
    assert created["return_type"] == "ReturnToSender" and created["status"] == "Arrived"
    assert created["original_shipment_id"] == sent["id"]
    assert created["store_order_id"] == sent["store_order_id"]
    assert [(line["product_id"], line["quantity"]) for line in created["inventory"]] == [(p["id"], 2) for p in products]


def test_a_domestic_rts_is_charged_the_outbound_label_cost_and_no_processing_fee(api: Api) -> None:
    merchant, fc, operator = api.setup()
    sent = shipment(
        api, merchant, fc["id"], [api.product(merchant)], label_cost={"amount": "9.10", "currency_code": "USD"}
    )
    _carrier_event(api, sent["tracking_number"])
    created = scan(api, operator, fc["id"], sent["tracking_number"]).json()["return"]
    assert [(t["transaction_type"], t["amount"]["amount"]) for t in created["transactions"]] == [
        ("ReturnToSenderFee", "9.10")
    ]


def test_an_international_rts_is_not_charged(api: Api) -> None:
    merchant, fc, operator = api.setup()
    sent = shipment(api, merchant, fc["id"], [api.product(merchant)], destination_country="CA")
    _carrier_event(api, sent["tracking_number"])
    created = scan(api, operator, fc["id"], sent["tracking_number"]).json()["return"]
    assert created["return_type"] == "ReturnToSender" and created["transactions"] == []


def test_an_rts_scan_before_the_shipment_is_registered_still_counts(api: Api) -> None:
    merchant, fc, operator = api.setup()
    _carrier_event(api, "1ZEARLYRTS01")
    sent = shipment(api, merchant, fc["id"], [api.product(merchant)], tracking_number="1ZEARLYRTS01")
    assert sent["rts_scanned"] is True
    assert scan(api, operator, fc["id"], "1ZEARLYRTS01").json()["outcome"] == "rts_created"


def test_a_shipment_without_rts_scan_becomes_a_regular_return_once(api: Api) -> None:
    merchant, fc, operator = api.setup()
    sent = shipment(api, merchant, fc["id"], [api.product(merchant)])
    _carrier_event(api, sent["tracking_number"], "Delivered")
    body = scan(api, operator, fc["id"], sent["tracking_number"]).json()
    assert body["outcome"] == "regular_created"
    assert body["return"]["return_type"] == "Regular" and body["return"]["channel"] == "Warehouse"
    assert body["return"]["transactions"][0]["transaction_type"] == "ReturnProcessingFee"
    again = scan(api, operator, fc["id"], sent["tracking_number"])
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_arrived"
    listed = api.client.get(f"/api/v1/returns?original_shipment_id={sent['id']}", headers=merchant.headers).json()
    assert len(listed["items"]) == 1


def test_a_shipment_whose_return_already_exists_matches_that_return(api: Api) -> None:
    merchant, fc, operator = api.setup()
    product = api.product(merchant)
    sent = shipment(api, merchant, fc["id"], [product])
    order = api.return_order(merchant, fc["id"], [product], original_shipment_id=sent["id"])
    body = scan(api, operator, fc["id"], sent["tracking_number"]).json()
    assert body["outcome"] == "matched" and body["return"]["id"] == order["id"]


def test_a_scan_matching_nothing_goes_to_the_unidentified_queue(api: Api) -> None:
    _, fc, operator = api.setup()
    body = scan(api, operator, fc["id"], "NOTHING-KNOWN-42").json()
    assert body["outcome"] == "unidentified" and body["return"] is None
    queue = api.client.get("/api/v1/warehouse/unidentified", headers=operator.headers).json()
    assert [(p["id"], p["scanned"], p["resolved_return_id"]) for p in queue["items"]] == [
        (body["unidentified_package_id"], "NOTHING-KNOWN-42", None)
    ]
    assert queue["next_cursor"] is None


def test_a_scan_of_a_cancelled_return_is_unidentified(api: Api) -> None:
    merchant, fc, operator = api.setup()
    order = api.return_order(merchant, fc["id"])
    api.client.post(f"/api/v1/returns/{order['id']}/cancel", headers=merchant.headers)
    assert scan(api, operator, fc["id"], order["reference_id"]).json()["outcome"] == "unidentified"


def test_resolving_an_unidentified_package_makes_the_return_arrive(api: Api) -> None:
    merchant, fc, operator = api.setup()
    order = api.return_order(merchant, fc["id"])
    package_id = scan(api, operator, fc["id"], "SMUDGED-LABEL").json()["unidentified_package_id"]
    url = f"/api/v1/warehouse/unidentified/{package_id}/resolve"
    response = api.client.post(url, json={"return_id": order["id"]}, headers=operator.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["resolved_return_id"] == order["id"]
    assert body["return"]["status"] == "Arrived"
    assert body["return"]["transactions"][0]["transaction_type"] == "ReturnProcessingFee"
    again = api.client.post(url, json={"return_id": order["id"]}, headers=operator.headers)
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_resolved"
    open_queue = api.client.get("/api/v1/warehouse/unidentified?resolved=false", headers=operator.headers).json()
    assert open_queue["items"] == []


def test_resolving_with_an_arrived_return_is_already_arrived(api: Api) -> None:
    merchant, fc, operator = api.setup()
    order = arrived(api, operator, api.return_order(merchant, fc["id"]))
    package_id = scan(api, operator, fc["id"], "SMUDGED-LABEL-2").json()["unidentified_package_id"]
    response = api.client.post(
        f"/api/v1/warehouse/unidentified/{package_id}/resolve",
        json={"return_id": order["id"]},
        headers=operator.headers,
    )
    assert response.status_code == 409 and response.json()["error"]["code"] == "already_arrived"


def test_a_scan_matching_returns_of_two_merchants_is_ambiguous(api: Api) -> None:
    fc = api.fulfillment_center()
    operator = api.operator(fc["id"])
    first, second = api.merchant(), api.merchant()
    a = api.return_order(first, fc["id"], tracking_number="1ZSHARED0001")
    b = api.return_order(second, fc["id"], tracking_number="1ZSHARED0001")
    body = scan(api, operator, fc["id"], "1ZSHARED0001").json()
    assert body["outcome"] == "ambiguous" and body["return"] is None
    assert {c["id"] for c in body["candidates"]} == {a["id"], b["id"]}
    assert {c["merchant_id"] for c in body["candidates"]} == {first.id, second.id}
    still = api.client.get(f"/api/v1/returns/{a['id']}", headers=first.headers).json()
    assert still["status"] == "AwaitingArrival"


def test_operators_receive_only_at_their_own_fulfillment_centers(api: Api) -> None:
    merchant, fc, _ = api.setup()
    elsewhere = api.operator(api.fulfillment_center()["id"])
    order = api.return_order(merchant, fc["id"])
    response = scan(api, elsewhere, fc["id"], order["reference_id"])
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "fulfillment_center_not_found"


def test_a_return_at_another_fc_does_not_match_here(api: Api) -> None:
    merchant, fc, operator = api.setup()
    other_fc = api.fulfillment_center()
    operator_both = api.operator(fc["id"], other_fc["id"])
    order = api.return_order(merchant, other_fc["id"])
    assert scan(api, operator_both, fc["id"], order["reference_id"]).json()["outcome"] == "unidentified"
    assert operator


def test_merchants_cannot_scan_packages(api: Api) -> None:
    merchant, fc, _ = api.setup()
    response = api.client.post(
        "/api/v1/warehouse/receipts", json={"fulfillment_center_id": fc["id"], "scanned": "X"}, headers=merchant.headers
    )
    assert_error(response, 403, "forbidden")


def test_another_fcs_unidentified_packages_are_invisible(api: Api) -> None:
    _, fc, operator = api.setup()
    package_id = scan(api, operator, fc["id"], "LOST-ONE").json()["unidentified_package_id"]
    stranger = api.operator(api.fulfillment_center()["id"])
    assert api.client.get("/api/v1/warehouse/unidentified", headers=stranger.headers).json()["items"] == []
    response = api.client.post(
        f"/api/v1/warehouse/unidentified/{package_id}/resolve", json={"return_id": "ret_x"}, headers=stranger.headers
    )
    assert_error(response, 404, "unidentified_package_not_found")


def test_scanning_the_return_label_tracking_number_matches(api: Api) -> None:
    merchant, fc, operator = api.setup()
    order = api.return_order(merchant, fc["id"])
    label = {
        "type": "Prepaid",
        "carrier": "USPS",
        "tracking_number": "9400LABEL0001",
        "origin_address": {
            "name": "Ana",
            "line1": "1 Main St",
            "city": "Reno",
            "postal_code": "89501",
            "country": "US",
        },
    }
    response = api.client.post(f"/api/v1/returns/{order['id']}/label", json=label, headers=merchant.headers)
    assert response.status_code == 201, response.text
    body = scan(api, operator, fc["id"], "9400LABEL0001").json()
    assert body["outcome"] == "matched" and body["return"]["id"] == order["id"]


def test_an_unidentified_package_is_announced_to_the_merchant_once_it_is_linked(api: Api, engine: Engine) -> None:
    merchant, fc, operator = api.setup()
    order = api.return_order(merchant, fc["id"])
    package_id = scan(api, operator, fc["id"], "NO-LABEL-AT-ALL").json()["unidentified_package_id"]

    def announced() -> list[Any]:
        with engine.connect() as conn:
            rows = conn.execute(select(outbox_events).where(outbox_events.c.topic == "unidentified.created"))
            return list(rows)

    assert announced() == []  # nobody to tell while the package belongs to no merchant
    url = f"/api/v1/warehouse/unidentified/{package_id}/resolve"
    resolved = api.client.post(url, json={"return_id": order["id"]}, headers=operator.headers)
    assert resolved.status_code == 200
    [event] = announced()
    assert event.merchant_id == merchant.id
    assert event.payload["id"] == package_id and event.payload["resolved_return_id"] == order["id"]
    # the payload is the package exactly as the API shows it
    package = {k: v for k, v in resolved.json().items() if k != "return"}
    assert event.payload == package


def test_the_dock_reads_the_lines_of_the_return_it_receives_once(api: Api, engine: Engine) -> None:
    """Matching a scan reads no lines: only the return received is read whole (locked), once."""
    merchant, fc, operator = api.setup()
    order = api.return_order(merchant, fc["id"], tracking_number="1ZONCE0001")
    statements: list[str] = []

    def note(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        body = scan(api, operator, fc["id"], "1ZONCE0001").json()
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert body["outcome"] == "matched" and body["return"]["id"] == order["id"]
    assert body["return"]["inventory"] == order["inventory"] != []
    assert sum(s.lstrip().startswith("SELECT return_lines.") for s in statements) == 1
