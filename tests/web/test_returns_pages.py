"""The Returns pages: list with tabs, search and export, new return, a return's page, edit and cancel."""

from __future__ import annotations

import csv
import io

from tests.api.dock import completed_return
from tests.support.builders import Api, Merchant
from tests.web.conftest import Browser, make_user


def _new_return(browser: Browser, fc_id: str, sku: str, reference: str, **extra: str) -> object:
    data = {
        "fulfillment_center_id": fc_id,
        "reference_id": reference,
        "customer_name": "Ana Silva",
        "sku_0": sku,
        "quantity_0": "2",
        "override_0": "Quarantine",
        **extra,
    }
    return browser.post("/returns/new", data)


def test_a_return_created_on_the_page_carries_its_override_and_is_found_by_search(
    api: Api, merchant: Merchant, signed_in: Browser
) -> None:
    fc = api.fulfillment_center()
    product = api.product(merchant, sku="WEB-TENT")
    response = _new_return(signed_in, fc["id"], product["sku"], "WEB-RMA-0001")
    assert response.status_code == 303
    detail = signed_in.client.get(response.headers["location"]).text
    assert "<h1>WEB-RMA-0001</h1>" in detail and "Override: Quarantine" in detail
    listed = signed_in.client.get("/returns", params={"q": "web-rma-0001"}).text
    assert "WEB-RMA-0001" in listed
    assert "WEB-RMA-0001" not in signed_in.client.get("/returns", params={"q": "nothing-like-it"}).text


def test_an_unknown_sku_shows_the_error_and_creates_nothing(api: Api, merchant: Merchant, signed_in: Browser) -> None:
    fc = api.fulfillment_center()
    response = _new_return(signed_in, fc["id"], "NO-SUCH-SKU", "WEB-RMA-0002")
    assert response.status_code == 422
    assert 'role="alert"' in response.text and "unknown product NO-SUCH-SKU" in response.text
    assert api.client.get("/api/v1/returns", headers=merchant.headers).json()["items"] == []


def test_status_tabs_count_the_filtered_returns(api: Api, merchant: Merchant, signed_in: Browser) -> None:
    fc = api.fulfillment_center()
    api.return_order(merchant, fc["id"], customer_name="Zed Quinn")
    cancelled = api.return_order(merchant, fc["id"], customer_name="Zed Quinn")
    api.client.post(f"/api/v1/returns/{cancelled['id']}/cancel", headers=merchant.headers)
    html = signed_in.client.get("/returns", params={"q": "zed", "status": "Cancelled"}).text
    assert cancelled["reference_id"] in html
    assert 'Cancelled <span class="badge">1</span>' in html
    assert 'Awaiting arrival <span class="badge">1</span>' in html


def test_export_csv_holds_every_filtered_return(api: Api, merchant: Merchant, signed_in: Browser) -> None:
    fc = api.fulfillment_center()
    made = [api.return_order(merchant, fc["id"]) for _ in range(3)]
    response = signed_in.client.get("/returns/export.csv", params={"status": "AwaitingArrival"})
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert sorted(r["reference_id"] for r in rows) == sorted(r["reference_id"] for r in made)


def test_a_bad_filter_value_is_a_422_page(signed_in: Browser) -> None:
    response = signed_in.client.get("/returns", params={"status": "Lost"})
    assert response.status_code == 422 and "status must be one of" in response.text


def test_another_merchants_return_is_the_404_page(api: Api, merchant: Merchant, signed_in: Browser) -> None:
    fc = api.fulfillment_center()
    other = api.merchant()
    theirs = api.return_order(other, fc["id"])
    response = signed_in.client.get(f"/returns/{theirs['id']}")
    assert response.status_code == 404 and "<h1>Page not found</h1>" in response.text
    assert signed_in.post(f"/returns/{theirs['id']}/cancel", {}, page="/returns").status_code == 404
    assert (
        api.client.get(f"/api/v1/returns/{theirs['id']}", headers=other.headers).json()["status"] == "AwaitingArrival"
    )


def test_edit_and_cancel_while_awaiting_arrival(api: Api, merchant: Merchant, signed_in: Browser) -> None:
    fc = api.fulfillment_center()
    order = api.return_order(merchant, fc["id"])
    second = api.product(merchant, sku="WEB-SECOND")
    line = order["inventory"][0]
    edited = signed_in.post(
        f"/returns/{order['id']}/edit",
        {
            "reference_id": order["reference_id"],
            "customer_name": "Bo Diddley",
            "sku_0": line["sku"],
            "quantity_0": "1",
            "sku_1": second["sku"],
            "quantity_1": "3",
            "override_1": "Dispose",
        },
        page=f"/returns/{order['id']}/edit",
    )
    assert edited.status_code == 303
    detail = signed_in.client.get(f"/returns/{order['id']}").text
    assert "Bo Diddley" in detail and "WEB-SECOND" in detail and "Override: Dispose" in detail
    signed_in.post(f"/returns/{order['id']}/cancel", {}, page=f"/returns/{order['id']}")
    page = signed_in.client.get(f"/returns/{order['id']}").text
    assert "Return cancelled." in page and "can no longer be edited" in page


def test_a_completed_return_shows_its_outcome_in_words_and_its_fee(
    api: Api, merchant: Merchant, signed_in: Browser
) -> None:
    fc = api.fulfillment_center()
    operator = api.operator(fc["id"])
    product = api.product(merchant, category="Food")
    order = completed_return(api, merchant, operator, fc["id"], product)
    html = signed_in.client.get(f"/returns/{order['id']}").text
    assert "Disposed: ineligible category" in html
    assert "Return processing fee" in html


def test_an_operator_user_is_sent_to_the_station_from_merchant_pages(api: Api) -> None:
    fc = api.fulfillment_center()
    operator = Browser(api.client, make_user(api, role="Operator", fulfillment_center_ids=[fc["id"]]))
    operator.sign_in()
    response = operator.client.get("/returns", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/station"


def test_a_label_bought_at_a_shown_rate_is_charged_and_downloadable(
    api: Api, merchant: Merchant, signed_in: Browser
) -> None:
    fc = api.fulfillment_center()
    order = api.return_order(merchant, fc["id"])
    page = signed_in.client.get(f"/returns/{order['id']}").text
    assert "Cheapest:" in page
    address = {"origin_name": "Ana", "origin_line1": "1 Main St", "origin_city": "Reno", "origin_postal_code": "89501"}
    response = signed_in.post(
        f"/returns/{order['id']}/label",
        {"label": "optimized", **address, "origin_country": "US"},
        page=f"/returns/{order['id']}",
    )
    assert response.status_code == 303
    detail = signed_in.client.get(f"/returns/{order['id']}").text
    assert "Download label (PDF)" in detail and "Return label invoice" in detail
    assert signed_in.client.get(f"/returns/{order['id']}/label.pdf").content.startswith(b"%PDF")


def test_a_label_without_an_origin_address_is_refused_with_the_reason(
    api: Api, merchant: Merchant, signed_in: Browser
) -> None:
    fc = api.fulfillment_center()
    order = api.return_order(merchant, fc["id"])
    response = signed_in.post(f"/returns/{order['id']}/label", {"label": "optimized"}, page=f"/returns/{order['id']}")
    assert response.status_code == 422 and 'role="alert"' in response.text
    assert api.client.get(f"/api/v1/returns/{order['id']}", headers=merchant.headers).json()["label"] is None


def test_a_return_page_says_what_will_happen_before_arrival(api: Api, merchant: Merchant, signed_in: Browser) -> None:
    fc = api.fulfillment_center()
    stove = api.product(merchant, sku="WEB-STOVE", category="HazardousMaterials")
    order = api.return_order(merchant, fc["id"], [stove, api.product(merchant, sku="WEB-MUG")])
    page = signed_in.client.get(f"/returns/{order['id']}").text
    assert "WEB-STOVE is in the ineligible category HazardousMaterials" in page
    assert "Expected: Dispose (ineligible category)" in page and "Expected: Restock (merchant preference)" in page
    assert "Prepaid label only" in page and "Cheapest:" not in page  # no purchased label for dangerous goods
    plain = api.return_order(merchant, fc["id"])
    assert "Cheapest:" in signed_in.client.get(f"/returns/{plain['id']}").text
