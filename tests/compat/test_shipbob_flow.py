"""A ShipBob integration pointed at Boomerang: only the base URL and the token changed."""

from __future__ import annotations

from typing import Any

import pytest

from tests.compat.shipbob_client import BASE, ShipBobClient
from tests.errors import assert_problem
from tests.support.builders import Api, unique


@pytest.fixture
def shop(api: Api, client) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    merchant, fc, operator = api.setup()
    product = api.product(merchant, return_preferences={"inspection_steps": ["Seal intact", "No scratches"]})
    shipbob = ShipBobClient(client, merchant.api_key)
    shipbob.use_channel()
    return {"merchant": merchant, "fc": fc, "operator": operator, "product": product, "shipbob": shipbob}


def _create_body(shipbob: ShipBobClient, fc: dict[str, Any], product: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "reference_id": unique("SB-RMA-ref"),
        "fulfillment_center": {"id": shipbob.location_id(fc["name"])},
        "inventory": [{"id": shipbob.inventory_id(product["sku"]), "quantity": 2, "requested_action": "Default"}],
        "tracking_number": unique("1Z999"),
        **extra,
    }


def test_shipbob_client_creates_lists_edits_and_cancels_a_return(shop: dict[str, Any]) -> None:
    shipbob: ShipBobClient = shop["shipbob"]
    body = _create_body(shipbob, shop["fc"], shop["product"])

    created = shipbob.create_return(body)
    assert created.status_code == 201, created.text
    ret = created.json()
    assert isinstance(ret["id"], int) and ret["status"] == "AwaitingArrival" and ret["return_type"] == "Regular"
    assert ret["fulfillment_center"]["id"] == body["fulfillment_center"]["id"]
    assert ret["inventory"][0]["id"] == body["inventory"][0]["id"]
    assert ret["inventory"][0]["action_requested"] == {
        "action": "Default",
        "action_type": "InventoryDefault",
        "instructions": "Seal intact\nNo scratches",
    }
    assert ret["insert_date"].endswith("+00:00")

    listed = shipbob.list_returns(ReferenceIds=body["reference_id"]).json()
    assert [r["id"] for r in listed["items"]] == [ret["id"]]
    assert listed["first"].startswith("http://testserver/compat/shipbob/2026-01/return?")
    assert listed["next"] is None and listed["prev"] is None

    edited = shipbob.edit_return(ret["id"], {**body, "tracking_number": "1Z-NEW-TRACKING"})
    assert edited.status_code == 200, edited.text
    assert edited.json()["tracking_number"] == "1Z-NEW-TRACKING" and edited.json()["id"] == ret["id"]

    cancelled = shipbob.cancel_return(ret["id"])
    assert (cancelled.status_code, cancelled.json()) == (200, {})
    again = shipbob.get_return(ret["id"]).json()
    assert again["status"] == "Cancelled" and again["cancelled_date"].endswith("+00:00")
    assert [h["status"] for h in again["status_history"]] == ["AwaitingArrival", "Cancelled"]
    assert_problem(shipbob.cancel_return(ret["id"]), 400, "cannot cancel a return that is Cancelled")


def test_our_own_api_finds_a_return_by_its_number(shop: dict[str, Any], client) -> None:  # type: ignore[no-untyped-def]
    shipbob: ShipBobClient = shop["shipbob"]
    ret = shipbob.create_return(_create_body(shipbob, shop["fc"], shop["product"])).json()
    ours = client.get(f"/api/v1/returns/{ret['id']}", headers=shop["merchant"].headers)
    assert ours.status_code == 200, ours.text
    assert ours.json()["reference_id"] == ret["reference_id"] and ours.json()["id"].startswith("ret")


def test_a_return_created_through_our_api_gets_a_number_that_stays(shop: dict[str, Any], api: Api) -> None:
    shipbob: ShipBobClient = shop["shipbob"]
    ours = api.return_order(shop["merchant"], shop["fc"]["id"], [shop["product"]])
    first = shipbob.list_returns(ReferenceIds=ours["reference_id"]).json()["items"][0]
    assert shipbob.get_return(first["id"]).json()["reference_id"] == ours["reference_id"]
    assert shipbob.list_returns(Ids=str(first["id"])).json()["items"][0]["id"] == first["id"]


def test_duplicate_reference_id_is_a_422_api_error(shop: dict[str, Any]) -> None:
    shipbob: ShipBobClient = shop["shipbob"]
    body = _create_body(shipbob, shop["fc"], shop["product"])
    assert shipbob.create_return(body).status_code == 201
    duplicate = shipbob.create_return(body)
    assert duplicate.status_code == 422
    assert set(duplicate.json()) == {"message", "errors", "details", "stackTrace"}
    assert duplicate.json()["message"] == f"reference_id {body['reference_id']} is already used"


def test_channel_header_is_required_and_must_be_the_merchants(shop: dict[str, Any], client) -> None:  # type: ignore[no-untyped-def]
    shipbob: ShipBobClient = shop["shipbob"]
    body = _create_body(shipbob, shop["fc"], shop["product"])
    headers = {"Authorization": shipbob.headers["Authorization"]}
    missing = client.post(f"{BASE}/return", json=body, headers=headers)
    assert_problem(missing, 400, "shipbob_channel_id: this header is required")
    wrong = client.post(f"{BASE}/return", json=body, headers={**headers, "shipbob_channel_id": "999999"})
    assert_problem(wrong, 403, "channel 999999 is not this merchant's channel")


def test_another_merchants_return_is_not_found(shop: dict[str, Any], api: Api, client) -> None:  # type: ignore[no-untyped-def]
    shipbob: ShipBobClient = shop["shipbob"]
    ret = shipbob.create_return(_create_body(shipbob, shop["fc"], shop["product"])).json()
    other = ShipBobClient(client, api.merchant().api_key)
    other.use_channel()
    assert_problem(other.get_return(ret["id"]), 404, f"return {ret['id']} not found")
    edit = other.edit_return(ret["id"], _create_body(shipbob, shop["fc"], shop["product"]))
    assert_problem(edit, 404, f"return {ret['id']} not found")
    assert_problem(other.cancel_return(ret["id"]), 400, f"return {ret['id']} not found")
    assert other.list_returns(Ids=str(ret["id"])).json()["items"] == []


def test_missing_token_is_401_and_bad_query_is_400_problem_details(client, shop: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    assert_problem(client.get(f"{BASE}/return"), 401, "send Authorization: Bearer <token>")
    bad = shop["shipbob"].list_returns(Limit="0")
    assert bad.status_code == 400 and set(bad.json()) == {"type", "title", "status", "detail", "instance"}
    assert shop["shipbob"].list_returns(Status="Lost").status_code == 400
    assert client.get("/api/v1/returns/ret_unknown", headers=shop["merchant"].headers).json()["error"]["code"]


def test_pages_link_with_absolute_urls(shop: dict[str, Any], api: Api) -> None:
    shipbob: ShipBobClient = shop["shipbob"]
    for _ in range(3):
        api.return_order(shop["merchant"], shop["fc"]["id"], [shop["product"]])
    first = shipbob.list_returns(Limit="2").json()
    assert len(first["items"]) == 2 and first["prev"] is None
    assert first["next"].endswith("Limit=2&Cursor=2") and first["last"].endswith("Cursor=2")
    second = shipbob.http.get(first["next"], headers=shipbob.headers).json()
    assert len(second["items"]) == 1 and second["next"] is None and second["prev"].endswith("Cursor=1")
    oldest = shipbob.list_returns(SortOrder="Asc", Limit="1").json()["items"][0]
    newest = first["items"][0]
    assert oldest["id"] != newest["id"] and oldest["insert_date"] < newest["insert_date"]


def test_rate_limited_calls_answer_429_with_shipbob_headers(settings, session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from boomerang.entrypoints.http.app import create_app

    # An unknown token counts on the client address (anonymous_rate_limit), a valid one on its credential.
    limits = {"rate_limit": 2, "anonymous_rate_limit": 2}
    limited = create_app(settings.model_copy(update=limits), session_factory, clock)
    with TestClient(limited) as http:
        headers = {"Authorization": "Bearer whoever"}
        answers = [http.get(f"{BASE}/return", headers=headers) for _ in range(3)]
    assert [a.status_code for a in answers] == [401, 401, 429]
    last = answers[-1]
    assert last.headers["x-remaining-calls"] == "0" and int(last.headers["x-retry-after"]) >= 1
    assert last.json()["status"] == 429 and last.json()["title"] == "Too Many Requests"
