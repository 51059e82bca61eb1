"""Processing over HTTP: start, inspect with a preview of the decision, complete into the ledger."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.dock import arrived, complete, completed_return, inspect, processing, upload_photo
from tests.errors import assert_error
from tests.support.builders import Api

FRESH = "2028-01-01"  # the frozen clock says 2026-11-27


def _actions(order: dict[str, Any]) -> list[tuple[str, str, int]]:
    return [
        (a["action"], a["action_reason"], a["quantity_processed"])
        for line in order["inventory"]
        for a in line["actions_taken"]
    ]


def test_a_return_goes_from_creation_to_completed_with_restocked_units_in_the_ledger(api: Api) -> None:
    merchant, fc, operator = api.setup()
    product = api.product(merchant)
    done = completed_return(api, merchant, operator, fc["id"], product, quantity=3, quantity_received=2)
    assert done["status"] == "Completed" and done["completed_date"] is not None
    assert [h["status"] for h in done["status_history"]] == ["AwaitingArrival", "Arrived", "Processing", "Completed"]
    assert _actions(done) == [("Restock", "MerchantPreference", 2), ("Missing", "NotReceived", 1)]
    ledger = api.client.get(f"/api/v1/inventory/ledger?return_id={done['id']}", headers=merchant.headers).json()
    assert [(e["bucket"], e["quantity"], e["product_id"]) for e in ledger["items"]] == [("Sellable", 2, product["id"])]
    stock = api.client.get("/api/v1/inventory", headers=merchant.headers).json()["items"]
    assert [(s["product_id"], s["sellable"], s["quarantine"], s["reserved"]) for s in stock] == [
        (product["id"], 2, 0, 0)
    ]


ROWS: dict[str, tuple[dict[str, Any], dict[str, Any], tuple[str, str]]] = {
    "ineligible": ({"category": "Food"}, {}, ("Dispose", "IneligibleCategory")),
    "preference": ({"return_preferences": {"return_action": "Quarantine"}}, {}, ("Quarantine", "MerchantPreference")),
    "failed_step": (
        {"return_preferences": {"inspection_steps": ["Seal intact"]}},
        {"step_results": [False]},
        ("Quarantine", "FailedInspection"),
    ),
    "unclear": (
        {"return_preferences": {"inspection_steps": ["Check the widget"], "backup_action": "Dispose"}},
        {"step_results": [True], "instructions_unclear": True},
        ("Dispose", "UnclearInstructions"),
    ),
    "shelf_life": (
        {"is_lot_tracked": True, "minimum_shelf_life_days": 30},
        {"lot_number": "L-9", "expiration_date": "2026-12-01", "photo": True},
        ("Quarantine", "ShelfLife"),
    ),
    "lot_unverified": (
        {"is_lot_tracked": True},
        {"lot_number": "L-9", "expiration_date": FRESH},
        ("Quarantine", "LotUnverified"),
    ),
    "restock": (
        {"is_lot_tracked": True},
        {"lot_number": "L-9", "expiration_date": FRESH, "photo": True},
        ("Restock", "MerchantPreference"),
    ),
}


@pytest.mark.parametrize("row", ROWS.values(), ids=ROWS.keys())
def test_every_row_of_the_decision_table_is_reachable_over_the_api(
    api: Api, row: tuple[dict[str, Any], dict[str, Any], tuple[str, str]]
) -> None:
    product_fields, inspection, expected = row
    merchant, fc, operator = api.setup()
    product = api.product(merchant, **product_fields)
    order = processing(api, operator, api.return_order(merchant, fc["id"], [product]))
    inspection = dict(inspection)
    if inspection.pop("photo", False):
        inspection["photo_ids"] = [upload_photo(api, operator, order["id"]).json()["photo_id"]]
    preview = inspect(api, operator, order["id"], order["inventory"][0]["id"], **inspection)
    assert preview.status_code == 200, preview.text
    assert [(a["action"], a["action_reason"]) for a in preview.json()["actions_taken"]] == [expected]
    done = complete(api, operator, order["id"]).json()
    assert _actions(done) == [(*expected, 1)]


def test_the_preview_is_not_recorded_until_completion(api: Api) -> None:
    merchant, fc, operator = api.setup()
    order = processing(api, operator, api.return_order(merchant, fc["id"]))
    line_id = order["inventory"][0]["id"]
    body = inspect(api, operator, order["id"], line_id, quantity_received=0, condition_note="empty box").json()
    assert body["actions_taken"] == [
        {
            "action": "Missing",
            "action_reason": "NotReceived",
            "quantity_processed": 1,
            "lot_number": None,
            "expiration_date": None,
            "photo_ids": [],
        }
    ]
    assert body["inspection"]["condition_note"] == "empty box" and body["quantity_received"] == 0
    stored = api.client.get(f"/api/v1/returns/{order['id']}", headers=merchant.headers).json()["inventory"][0]
    assert stored["actions_taken"] == [] and stored["quantity_received"] == 0


def test_an_rts_return_uses_the_rts_preference(api: Api) -> None:
    from tests.api.dock import scan, shipment

    merchant, fc, operator = api.setup()
    product = api.product(merchant, return_preferences={"return_action": "Restock", "rts_action": "Dispose"})
    sent = shipment(api, merchant, fc["id"], [product])
    api.client.post(
        "/api/v1/carrier-events",
        json={
            "tracking_number": sent["tracking_number"],
            "status": "ReturnToSender",
            "occurred_at": "2026-11-26T00:00:00Z",
        },
        headers=api.integration_token(),
    )
    created = scan(api, operator, fc["id"], sent["tracking_number"]).json()["return"]
    api.client.post(f"/api/v1/returns/{created['id']}/start-processing", headers=operator.headers)
    inspect(api, operator, created["id"], created["inventory"][0]["id"])
    assert _actions(complete(api, operator, created["id"]).json()) == [("Dispose", "MerchantPreference", 1)]


def test_inspection_needs_one_result_per_step(api: Api) -> None:
    merchant, fc, operator = api.setup()
    product = api.product(merchant, return_preferences={"inspection_steps": ["a", "b"]})
    order = processing(api, operator, api.return_order(merchant, fc["id"], [product]))
    response = inspect(api, operator, order["id"], order["inventory"][0]["id"], step_results=[True])
    assert_error(response, 422, "validation_error", "step_results")
    assert [d["field"] for d in response.json()["error"]["details"]] == ["step_results"]


def test_received_quantity_must_be_within_the_line(api: Api) -> None:
    merchant, fc, operator = api.setup()
    order = processing(api, operator, api.return_order(merchant, fc["id"]))
    response = inspect(api, operator, order["id"], order["inventory"][0]["id"], quantity_received=2)
    assert_error(response, 422, "validation_error", "quantity_received")


def test_inspection_photos_must_belong_to_the_return(api: Api) -> None:
    merchant, fc, operator = api.setup()
    product = api.product(merchant, is_lot_tracked=True)
    other = processing(api, operator, api.return_order(merchant, fc["id"], [product]))
    foreign_photo = upload_photo(api, operator, other["id"]).json()["photo_id"]
    order = processing(api, operator, api.return_order(merchant, fc["id"], [product]))
    response = inspect(api, operator, order["id"], order["inventory"][0]["id"], photo_ids=[foreign_photo])
    assert response.status_code == 422 and response.json()["error"]["code"] == "unknown_photo"


def test_inspection_outside_processing_is_a_conflict(api: Api) -> None:
    merchant, fc, operator = api.setup()
    order = arrived(api, operator, api.return_order(merchant, fc["id"]))
    response = inspect(api, operator, order["id"], order["inventory"][0]["id"])
    assert response.status_code == 409 and response.json()["error"]["code"] == "invalid_transition"


def test_an_unknown_line_is_not_found(api: Api) -> None:
    merchant, fc, operator = api.setup()
    order = processing(api, operator, api.return_order(merchant, fc["id"]))
    assert_error(inspect(api, operator, order["id"], "rl_nope"), 404, "not_found")


def test_completing_with_an_uninspected_line_is_inspection_missing(api: Api) -> None:
    merchant, fc, operator = api.setup()
    order = processing(
        api, operator, api.return_order(merchant, fc["id"], [api.product(merchant), api.product(merchant)])
    )
    inspect(api, operator, order["id"], order["inventory"][0]["id"])
    response = complete(api, operator, order["id"])
    assert response.status_code == 409 and response.json()["error"]["code"] == "inspection_missing"
    still = api.client.get(f"/api/v1/returns/{order['id']}", headers=merchant.headers).json()
    assert still["status"] == "Processing"


def test_completing_twice_is_invalid_and_writes_the_ledger_once(api: Api) -> None:
    merchant, fc, operator = api.setup()
    done = completed_return(api, merchant, operator, fc["id"], api.product(merchant))
    again = complete(api, operator, done["id"])
    assert again.status_code == 409 and again.json()["error"]["code"] == "invalid_transition"
    ledger = api.client.get(f"/api/v1/inventory/ledger?return_id={done['id']}", headers=merchant.headers).json()
    assert len(ledger["items"]) == 1


def test_start_processing_needs_an_arrived_return(api: Api) -> None:
    merchant, fc, operator = api.setup()
    order = api.return_order(merchant, fc["id"])
    response = api.client.post(f"/api/v1/returns/{order['id']}/start-processing", headers=operator.headers)
    assert response.status_code == 409 and response.json()["error"]["code"] == "invalid_transition"


def test_operators_of_another_fc_cannot_process_the_return(api: Api) -> None:
    merchant, fc, operator = api.setup()
    order = arrived(api, operator, api.return_order(merchant, fc["id"]))
    stranger = api.operator(api.fulfillment_center()["id"])
    response = api.client.post(f"/api/v1/returns/{order['id']}/start-processing", headers=stranger.headers)
    assert_error(response, 404, "return_not_found")


def test_merchants_cannot_complete_returns(api: Api) -> None:
    merchant, fc, operator = api.setup()
    order = processing(api, operator, api.return_order(merchant, fc["id"]))
    assert_error(complete(api, merchant, order["id"]), 403, "forbidden")  # type: ignore[arg-type]


def test_completion_publishes_a_return_completed_event_with_actions_taken(api: Api, session_factory: Any) -> None:
    from sqlalchemy import select

    from boomerang.adapters.tables.core import outbox_events

    merchant, fc, operator = api.setup()
    done = completed_return(api, merchant, operator, fc["id"], api.product(merchant))
    with session_factory() as session:
        rows = session.execute(select(outbox_events).where(outbox_events.c.topic == "return.completed")).all()
    assert [r.payload["id"] for r in rows] == [done["id"]]
    assert rows[0].payload["inventory"][0]["actions_taken"][0]["action"] == "Restock"
