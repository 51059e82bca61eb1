"""Return labels: rates, buying (Optimized, CarrierSpecific), registering (Prepaid), printing."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pypdf
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from boomerang.adapters.tables.core import return_orders
from boomerang.config import Settings
from tests.errors import assert_error
from tests.support.builders import Api, Merchant

US_ORIGIN = {"name": "Jane Doe", "line1": "12 Elm St", "city": "Austin", "postal_code": "73301", "country": "US"}
GB_ORIGIN = {**US_ORIGIN, "city": "Leeds", "postal_code": "LS1 4DY", "country": "GB"}


def _label(client: TestClient, merchant: Merchant, return_id: str, **body: Any) -> Any:
    payload = {"type": "Optimized", "origin_address": US_ORIGIN, **body}
    return client.post(f"/api/v1/returns/{return_id}/label", json=payload, headers=merchant.headers)


def _rates(client: TestClient, merchant: Merchant, fc_id: str, origin: str = "US") -> Any:
    params = {"fulfillment_center_id": fc_id, "origin_country": origin}
    return client.get("/api/v1/returns/rates", params=params, headers=merchant.headers)


def test_rates_are_listed_cheapest_first(api: Api, client: TestClient) -> None:
    merchant, fc, _ = api.setup()
    response = _rates(client, merchant, fc["id"])
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    costs = [Decimal(r["cost"]["amount"]) for r in items]
    assert len(items) >= 3 and costs == sorted(costs)
    assert {r["cost"]["currency_code"] for r in items} == {"USD"}
    assert all(r["cost"]["amount"].count(".") == 1 and len(r["cost"]["amount"].split(".")[1]) == 2 for r in items)


def test_rates_for_a_foreign_origin_are_refused(api: Api, client: TestClient) -> None:
    merchant, fc, _ = api.setup()
    response = _rates(client, merchant, fc["id"], origin="GB")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "label_country_mismatch"


def test_rates_are_quoted_in_the_merchants_currency(api: Api, client: TestClient) -> None:
    body = client.post("/api/v1/admin/merchants", json={"name": "Maple", "currency_code": "CAD"}, headers=api.admin)
    merchant = Merchant(body.json()["id"], body.json()["api_key"])
    fc = api.fulfillment_center(country="GB")
    items = _rates(client, merchant, fc["id"], origin="GB").json()["items"]
    assert items and {r["cost"]["currency_code"] for r in items} == {"CAD"}


def test_optimized_label_buys_the_cheapest_rate_and_charges_it(api: Api, client: TestClient) -> None:
    merchant, fc, _ = api.setup()
    order = api.return_order(merchant, fc["id"])
    cheapest = _rates(client, merchant, fc["id"]).json()["items"][0]
    response = _label(client, merchant, order["id"])
    assert response.status_code == 201, response.text
    label = response.json()
    assert (label["type"], label["carrier"], label["service"]) == (
        "Optimized",
        cheapest["carrier"],
        cheapest["service"],
    )
    assert label["cost"] == cheapest["cost"] and label["tracking_number"]
    assert label["url"] == f"/api/v1/returns/{order['id']}/label.pdf"
    view = client.get(f"/api/v1/returns/{order['id']}", headers=merchant.headers).json()
    assert view["label"] == label
    charges = [t for t in view["transactions"] if t["transaction_type"] == "ReturnLabelInvoice"]
    assert [t["amount"] for t in charges] == [cheapest["cost"]]
    assert view["invoice_amount"] == cheapest["cost"]


def test_carrier_specific_label_uses_the_requested_carrier_and_service(api: Api, client: TestClient) -> None:
    merchant, fc, _ = api.setup()
    order = api.return_order(merchant, fc["id"])
    priciest = _rates(client, merchant, fc["id"]).json()["items"][-1]
    response = _label(
        client, merchant, order["id"], type="CarrierSpecific", carrier=priciest["carrier"], service=priciest["service"]
    )
    assert response.status_code == 201, response.text
    assert (response.json()["carrier"], response.json()["cost"]) == (priciest["carrier"], priciest["cost"])


def test_carrier_specific_label_without_a_rate_is_refused(api: Api, client: TestClient) -> None:
    merchant, fc, _ = api.setup()
    order = api.return_order(merchant, fc["id"])
    response = _label(client, merchant, order["id"], type="CarrierSpecific", carrier="RoyalMail", service="Tracked24")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "no_rate_available"
    missing = _label(client, merchant, order["id"], type="CarrierSpecific", carrier="USPS")
    assert_error(missing, 422, "validation_error", "service")
    assert [d["field"] for d in missing.json()["error"]["details"]] == ["service"]


def test_prepaid_label_records_the_merchants_tracking_number_at_no_cost(api: Api, client: TestClient) -> None:
    merchant, fc, _ = api.setup()
    order = api.return_order(merchant, fc["id"])
    response = _label(client, merchant, order["id"], type="Prepaid", carrier="OnTrac", tracking_number="OT123456789")
    assert response.status_code == 201, response.text
    label = response.json()
    assert (label["carrier"], label["tracking_number"]) == ("OnTrac", "OT123456789")
    assert label["cost"] == {"amount": "0.00", "currency_code": "USD"}
    view = client.get(f"/api/v1/returns/{order['id']}", headers=merchant.headers).json()
    assert view["transactions"] == []


def test_prepaid_label_needs_carrier_and_tracking_number(api: Api, client: TestClient) -> None:
    merchant, fc, _ = api.setup()
    order = api.return_order(merchant, fc["id"])
    response = _label(client, merchant, order["id"], type="Prepaid")
    assert_error(response, 422, "validation_error", "carrier", "tracking_number")
    assert {d["field"] for d in response.json()["error"]["details"]} == {"carrier", "tracking_number"}


def test_purchased_label_from_another_country_is_refused(api: Api, client: TestClient) -> None:
    merchant, fc, _ = api.setup()
    order = api.return_order(merchant, fc["id"])
    response = _label(client, merchant, order["id"], origin_address=GB_ORIGIN)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "label_country_mismatch"
    prepaid = _label(
        client, merchant, order["id"], type="Prepaid", carrier="DHL", tracking_number="JD0001", origin_address=GB_ORIGIN
    )
    assert prepaid.status_code == 201, prepaid.text


DANGEROUS = [{"is_dangerous_goods": True}, {"category": "HazardousMaterials"}]


@pytest.mark.parametrize("dangerous", DANGEROUS, ids=["flagged", "hazardous_materials_category"])
def test_dangerous_goods_need_a_prepaid_label(api: Api, client: TestClient, dangerous: dict[str, Any]) -> None:
    merchant, fc, _ = api.setup()
    order = api.return_order(merchant, fc["id"], [api.product(merchant), api.product(merchant, **dangerous)])
    for body in ({"type": "Optimized"}, {"type": "CarrierSpecific", "carrier": "USPS", "service": "GroundAdvantage"}):
        response = _label(client, merchant, order["id"], **body)
        assert response.status_code == 422
        assert response.json()["error"]["code"] == "dangerous_goods_requires_prepaid"
    view = client.get(f"/api/v1/returns/{order['id']}", headers=merchant.headers).json()
    assert view["label"] is None and view["transactions"] == []  # nothing bought, nothing charged
    prepaid = _label(client, merchant, order["id"], type="Prepaid", carrier="UPS", tracking_number="1Z999AA10123456784")
    assert prepaid.status_code == 201


@pytest.mark.parametrize("dangerous", DANGEROUS, ids=["flagged", "hazardous_materials_category"])
def test_the_rate_quote_for_a_dangerous_goods_return_says_prepaid_only(
    api: Api, client: TestClient, dangerous: dict[str, Any]
) -> None:
    merchant, fc, _ = api.setup()
    hazmat = api.return_order(merchant, fc["id"], [api.product(merchant, **dangerous)])
    plain = api.return_order(merchant, fc["id"])
    params = {"fulfillment_center_id": fc["id"], "origin_country": "US"}
    quote = client.get("/api/v1/returns/rates", params={**params, "return_id": hazmat["id"]}, headers=merchant.headers)
    assert quote.status_code == 422
    assert quote.json()["error"]["code"] == "dangerous_goods_requires_prepaid"
    ok = client.get("/api/v1/returns/rates", params={**params, "return_id": plain["id"]}, headers=merchant.headers)
    assert ok.status_code == 200 and ok.json()["items"]
    assert _rates(client, merchant, fc["id"]).status_code == 200  # without a return: the route's rates


def test_the_rate_quote_for_a_return_uses_its_fulfillment_center(api: Api, client: TestClient) -> None:
    merchant, fc, _ = api.setup()
    order = api.return_order(merchant, fc["id"])
    elsewhere = api.fulfillment_center()
    params = {"fulfillment_center_id": elsewhere["id"], "return_id": order["id"]}
    response = client.get("/api/v1/returns/rates", params=params, headers=merchant.headers)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "fulfillment_center_mismatch"
    stranger = api.merchant()
    params = {"fulfillment_center_id": fc["id"], "return_id": order["id"]}
    assert_error(client.get("/api/v1/returns/rates", params=params, headers=stranger.headers), 404, "return_not_found")


def test_label_only_while_awaiting_arrival(api: Api, client: TestClient) -> None:
    merchant, fc, _ = api.setup()
    order = api.return_order(merchant, fc["id"])
    assert client.post(f"/api/v1/returns/{order['id']}/cancel", headers=merchant.headers).status_code == 200
    response = _label(client, merchant, order["id"])
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "return_not_editable"


def test_a_purchased_label_is_not_bought_twice(api: Api, client: TestClient) -> None:
    merchant, fc, _ = api.setup()
    order = api.return_order(merchant, fc["id"])
    assert _label(client, merchant, order["id"]).status_code == 201
    again = _label(client, merchant, order["id"])
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "label_already_purchased"


def test_another_merchants_return_is_not_found(api: Api, client: TestClient) -> None:
    merchant, fc, _ = api.setup()
    order = api.return_order(merchant, fc["id"])
    other = api.merchant()
    assert_error(_label(client, other, order["id"]), 404, "return_not_found")
    assert _label(client, merchant, order["id"]).status_code == 201
    assert_error(client.get(f"/api/v1/returns/{order['id']}/label.pdf", headers=other.headers), 404, "return_not_found")


def test_label_pdf_is_4x6_with_tracking_number_and_reference(api: Api, client: TestClient) -> None:
    merchant, fc, _ = api.setup()
    order = api.return_order(merchant, fc["id"])
    label = _label(client, merchant, order["id"]).json()
    response = client.get(label["url"], headers=merchant.headers)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    page = reader.pages[0]
    assert (float(page.mediabox.width), float(page.mediabox.height)) == (288.0, 432.0)  # 4 x 6 inches
    text = page.extract_text()
    assert label["tracking_number"] in text
    assert order["reference_id"] in text
    assert "Jane Doe" in text and fc["name"] in text


def test_label_pdf_of_a_return_without_label_is_not_found(api: Api, client: TestClient) -> None:
    merchant, fc, _ = api.setup()
    order = api.return_order(merchant, fc["id"])
    response = client.get(f"/api/v1/returns/{order['id']}/label.pdf", headers=merchant.headers)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "label_not_found"


def test_label_tracking_number_is_kept_for_dock_matching(
    api: Api, client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    merchant, fc, operator = api.setup()
    order = api.return_order(merchant, fc["id"])
    tracking = _label(client, merchant, order["id"]).json()["tracking_number"]
    with session_factory() as session:
        stored = session.execute(
            select(return_orders.c.label_tracking_number).where(return_orders.c.id == order["id"])
        ).scalar_one()
    assert stored == tracking
    found = client.get("/api/v1/returns", params={"tracking_number": tracking}, headers=merchant.headers).json()
    assert [r["id"] for r in found["items"]] == [order["id"]]
    scan = client.post(
        "/api/v1/warehouse/receipts",
        json={"fulfillment_center_id": fc["id"], "scanned": tracking},
        headers=operator.headers,
    )
    assert scan.status_code == 201, scan.text
    assert scan.json()["outcome"] == "matched" and scan.json()["return"]["id"] == order["id"]


def test_rate_table_comes_from_the_configured_file(
    api: Api, client: TestClient, settings: Settings, tmp_path: Path
) -> None:
    rates = tmp_path / "rates.toml"
    rates.write_text(
        '[exchange_rates]\nUSD = "1"\n\n[[rates]]\ncarrier = "LocalCourier"\nservice = "Bike"\n'
        'origin_country = "US"\ncost = "1.235"\ncurrency = "USD"\n'
    )
    settings.carrier_rates_file = rates
    merchant, fc, _ = api.setup()
    items = _rates(client, merchant, fc["id"]).json()["items"]
    assert items == [{"carrier": "LocalCourier", "service": "Bike", "cost": {"amount": "1.24", "currency_code": "USD"}}]
