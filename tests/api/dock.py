"""Builders for warehouse-floor tests: shipments, dock scans, photos, inspections, completion."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image

from tests.support.builders import Api, Merchant, Operator, unique


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


def shipment(
    api: Api, merchant: Merchant, fc_id: str, products: list[dict[str, Any]], quantity: int = 1, **fields: Any
) -> dict[str, Any]:
    payload = {
        "store_order_id": unique("ORDER"),
        "fulfillment_center_id": fc_id,
        "tracking_number": unique("1ZTRACK"),
        "carrier": "UPS",
        "label_cost": {"amount": "7.45", "currency_code": "USD"},
        "destination_country": "US",
        "customer_name": "Ana Silva",
        "items": [{"product_id": p["id"], "quantity": quantity} for p in products],
        **fields,
    }
    response = api.client.post("/api/v1/shipments", json=payload, headers=merchant.headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


def scan(api: Api, operator: Operator, fc_id: str, scanned: str) -> Any:
    return api.client.post(
        "/api/v1/warehouse/receipts",
        json={"fulfillment_center_id": fc_id, "scanned": scanned},
        headers=operator.headers,
    )


def arrived(api: Api, operator: Operator, order: dict[str, Any]) -> dict[str, Any]:
    response = scan(api, operator, order["fulfillment_center"]["id"], order["reference_id"])
    assert response.status_code == 201, response.text
    assert response.json()["outcome"] == "matched"
    return dict(response.json()["return"])


def processing(api: Api, operator: Operator, order: dict[str, Any]) -> dict[str, Any]:
    arrived(api, operator, order)
    response = api.client.post(f"/api/v1/returns/{order['id']}/start-processing", headers=operator.headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


def inspect(api: Api, operator: Operator, return_id: str, line_id: str, **fields: Any) -> Any:
    body = {"quantity_received": 1, "step_results": [], "instructions_unclear": False, "photo_ids": [], **fields}
    return api.client.put(
        f"/api/v1/returns/{return_id}/inventory/{line_id}/inspection", json=body, headers=operator.headers
    )


def upload_photo(api: Api, operator: Operator, return_id: str, data: bytes | None = None) -> Any:
    files = {"file": ("lot.png", data if data is not None else image_bytes(), "image/png")}
    return api.client.post(f"/api/v1/returns/{return_id}/photos", files=files, headers=operator.headers)


def complete(api: Api, operator: Operator, return_id: str) -> Any:
    return api.client.post(f"/api/v1/returns/{return_id}/complete", headers=operator.headers)


def completed_return(
    api: Api,
    merchant: Merchant,
    operator: Operator,
    fc_id: str,
    product: dict[str, Any],
    quantity: int = 1,
    with_photo: bool = False,
    **inspection: Any,
) -> dict[str, Any]:
    """A return of `quantity` units of `product`, inspected with `inspection` (and a photo of its lot
    information if `with_photo`) and completed."""
    order = api.return_order(merchant, fc_id, [product])
    if quantity != 1:
        patch = {"inventory": [{"product_id": product["id"], "quantity": quantity}]}
        response = api.client.patch(f"/api/v1/returns/{order['id']}", json=patch, headers=merchant.headers)
        assert response.status_code == 200, response.text
        order = response.json()
    processing(api, operator, order)
    if with_photo:
        inspection["photo_ids"] = [upload_photo(api, operator, order["id"]).json()["photo_id"]]
    fields = {"quantity_received": quantity, **inspection}
    response = inspect(api, operator, order["id"], order["inventory"][0]["id"], **fields)
    assert response.status_code == 200, response.text
    response = complete(api, operator, order["id"])
    assert response.status_code == 200, response.text
    return dict(response.json())
