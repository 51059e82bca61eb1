"""A return created by a ShipBob client, received and processed on our warehouse floor, read back
through the compat API with what was done to every unit."""

from __future__ import annotations

import io
from typing import Any

from fastapi.testclient import TestClient
from PIL import Image

from tests.api.dock import scan, shipment
from tests.compat.shipbob_client import ShipBobClient
from tests.support.builders import Api, Operator, unique


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def _process_on_the_floor(client: TestClient, operator: Operator, fc_id: str, return_number: int, ref: str) -> str:
    """Dock scan, start, inspect every line with a lot photo, complete; answers the photo id."""
    receipt = client.post(
        "/api/v1/warehouse/receipts", json={"fulfillment_center_id": fc_id, "scanned": ref}, headers=operator.headers
    )
    assert receipt.status_code == 201 and receipt.json()["outcome"] == "matched", receipt.text
    ours = client.get(f"/api/v1/returns/{return_number}", headers=operator.headers).json()
    return_id = ours["id"]
    assert client.post(f"/api/v1/returns/{return_id}/start-processing", headers=operator.headers).status_code == 200
    photo = client.post(
        f"/api/v1/returns/{return_id}/photos",
        files={"file": ("lot.png", _png(), "image/png")},
        headers=operator.headers,
    )
    assert photo.status_code == 201, photo.text
    photo_id = str(photo.json()["photo_id"])
    for line in ours["inventory"]:
        inspection = {
            "quantity_received": line["quantity"],
            "step_results": [True],
            "lot_number": "LOT-42",
            "expiration_date": "2031-01-31",
            "photo_ids": [photo_id],
        }
        recorded = client.put(
            f"/api/v1/returns/{return_id}/inventory/{line['id']}/inspection", json=inspection, headers=operator.headers
        )
        assert recorded.status_code == 200, recorded.text
    completed = client.post(f"/api/v1/returns/{return_id}/complete", headers=operator.headers)
    assert completed.status_code == 200, completed.text
    return photo_id


def test_return_processed_on_our_floor_shows_completed_with_actions_taken(api: Api, client: TestClient) -> None:
    merchant, fc, operator = api.setup()
    product = api.product(
        merchant,
        is_lot_tracked=True,
        minimum_shelf_life_days=30,
        return_preferences={"return_action": "Restock", "inspection_steps": ["Seal intact"]},
    )
    shipbob = ShipBobClient(client, merchant.api_key)
    shipbob.use_channel()
    body = {
        "reference_id": unique("SB-FLOOR-ref"),
        "fulfillment_center": {"id": shipbob.location_id(fc["name"])},
        "inventory": [{"id": shipbob.inventory_id(product["sku"]), "quantity": 2, "requested_action": "Default"}],
    }
    created = shipbob.create_return(body)
    assert created.status_code == 201, created.text
    number = created.json()["id"]

    photo_id = _process_on_the_floor(client, operator, fc["id"], number, body["reference_id"])

    ret: dict[str, Any] = shipbob.get_return(number).json()
    assert ret["status"] == "Completed" and ret["completed_date"].endswith("+00:00")
    assert [h["status"] for h in ret["status_history"]] == ["AwaitingArrival", "Arrived", "Processing", "Completed"]
    line = ret["inventory"][0]
    assert line["action_taken"] == [
        {
            "action": "Restock",
            "action_reason": "MerchantPreference",
            "image_url": f"http://testserver/api/v1/photos/{photo_id}",
            "quantity_processed": 2,
        }
    ]
    assert line["lot_information"] == {
        "number": "LOT-42",
        "expiration": "2031-01-31T00:00:00+00:00",
        "minimumShelfLife": 30,
    }
    assert {"amount": 3.0, "transaction_type": "ReturnProcessingFee"} in ret["transactions"]
    assert ret["invoice"] == {"amount": 3.0, "currency_code": "USD"}
    image = client.get(line["action_taken"][0]["image_url"], headers=merchant.headers)
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    assert shipbob.list_returns(Status="Completed", ReturnActions="Restock").json()["items"][0]["id"] == number
    assert shipbob.list_returns(CompletedStartDate=ret["completed_date"]).json()["items"][0]["id"] == number
    assert shipbob.list_returns(ReturnActions="Dispose").json()["items"] == []
    late_edit = shipbob.edit_return(number, body)
    assert late_edit.status_code == 422 and "AwaitingArrival" in late_edit.json()["message"]


def test_return_built_from_our_shipment_shows_its_number_and_tracking(api: Api, client: TestClient) -> None:
    merchant, fc, operator = api.setup()
    product = api.product(merchant)
    sent = shipment(api, merchant, fc["id"], [product])
    assert scan(api, operator, fc["id"], sent["tracking_number"]).json()["outcome"] == "regular_created"
    shipbob = ShipBobClient(client, merchant.api_key)
    ret = shipbob.list_returns(TrackingNumbers="x", Status="Arrived").json()["items"]
    assert ret == []
    ret = shipbob.list_returns(Status="Arrived").json()["items"][0]
    assert ret["shipment_tracking_number"] == sent["tracking_number"] and isinstance(ret["original_shipment_id"], int)
    assert ret["status"] == "Arrived" and ret["channel"]["name"] == "Warehouse"
    by_shipment = shipbob.list_returns(OriginalShipmentIds=str(ret["original_shipment_id"])).json()["items"]
    assert [r["id"] for r in by_shipment] == [ret["id"]]
