"""Products: catalog filters, a product's preferences form, bulk preferences with preview and confirm."""

from __future__ import annotations

import re

from tests.api.dock import completed_return
from tests.support.builders import Api, Merchant
from tests.web.conftest import Browser


def _preferences(api: Api, merchant: Merchant, product: dict) -> dict:  # type: ignore[type-arg]
    url = f"/api/v1/products/{product['id']}/return-preferences"
    return dict(api.client.get(url, headers=merchant.headers).json())


def test_unconfigured_filter_lists_only_products_on_defaults(api: Api, merchant: Merchant, signed_in: Browser) -> None:
    plain = api.product(merchant)
    configured = api.product(merchant)
    signed_in.post(
        f"/products/{configured['id']}/preferences",
        {"return_action": "Quarantine", "rts_action": "Restock", "backup_action": "Dispose"},
        page=f"/products/{configured['id']}",
    )
    html = signed_in.client.get("/products", params={"preferences": "unconfigured"}).text
    assert plain["sku"] in html and configured["sku"] not in html


def test_searching_quarantine_finds_products_holding_quarantined_stock(
    api: Api, merchant: Merchant, signed_in: Browser
) -> None:
    fc = api.fulfillment_center()
    operator = api.operator(fc["id"])
    held = api.product(merchant)
    api.client.put(
        f"/api/v1/products/{held['id']}/return-preferences",
        json={
            "return_action": "Quarantine",
            "rts_action": "Restock",
            "backup_action": "Dispose",
            "inspection_steps": [],
        },
        headers=merchant.headers,
    )
    completed_return(api, merchant, operator, fc["id"], held)
    other = api.product(merchant)
    for html in (
        signed_in.client.get("/products", params={"q": "quarantine"}).text,
        signed_in.client.get("/products", params={"quarantine": "1"}).text,
    ):
        assert held["sku"] in html and other["sku"] not in html
    detail = signed_in.client.get(f"/products/{held['id']}").text
    assert f"<h1>{held['sku']}</h1>" in detail and '<td class="num">1</td>' in detail


def test_product_page_saves_preferences_and_shows_advice(api: Api, merchant: Merchant, signed_in: Browser) -> None:
    product = api.product(merchant, is_lot_tracked=True)
    page = signed_in.client.get(f"/products/{product['id']}").text
    assert "use Quarantine or Dispose" in page and "scan serial numbers" in page.lower()
    response = signed_in.post(
        f"/products/{product['id']}/preferences",
        {"return_action": "Quarantine", "rts_action": "Dispose", "backup_action": "Dispose", "step_1": "Seal intact"},
        page=f"/products/{product['id']}",
    )
    assert response.status_code == 303
    saved = _preferences(api, merchant, product)
    assert (saved["return_action"], saved["rts_action"], saved["inspection_steps"]) == (
        "Quarantine",
        "Dispose",
        ["Seal intact"],
    )
    assert "use Quarantine or Dispose" not in signed_in.client.get(f"/products/{product['id']}").text


def test_bulk_csv_with_one_bad_row_shows_its_error_and_changes_nothing(
    api: Api, merchant: Merchant, signed_in: Browser
) -> None:
    first, second = api.product(merchant), api.product(merchant)
    csv_text = (
        "sku,return_action,rts_action,backup_action\n"
        f"{first['sku']},Dispose,Dispose,Dispose\n"
        f"{second['sku']},Explode,Restock,Quarantine\n"
    )
    response = signed_in.post(
        "/products/bulk", {}, page="/products/bulk", files={"file": ("p.csv", csv_text.encode(), "text/csv")}
    )
    assert response.status_code == 422
    assert "Row 2 (line 3 of the file)" in response.text and "Explode&#39; is not one of" in response.text
    assert "Confirm" not in response.text
    assert _preferences(api, merchant, first)["return_action"] == "Restock"


def test_bulk_csv_preview_then_confirm_changes_every_row(api: Api, merchant: Merchant, signed_in: Browser) -> None:
    first, second = api.product(merchant), api.product(merchant)
    csv_text = f"sku,return_action\n{first['sku']},Dispose\n{second['sku']},Quarantine\n"
    preview = signed_in.post(
        "/products/bulk", {}, page="/products/bulk", files={"file": ("p.csv", csv_text.encode(), "text/csv")}
    )
    assert preview.status_code == 200 and "Confirm all 2 rows" in preview.text
    assert _preferences(api, merchant, first)["return_action"] == "Restock"
    token = re.search(r'name="token" value="([^"]+)"', preview.text)
    assert token and csv_text not in preview.text
    confirmed = signed_in.post("/products/bulk/confirm", {"token": token.group(1)}, page="/products/bulk")
    assert confirmed.status_code == 303
    assert _preferences(api, merchant, first)["return_action"] == "Dispose"
    assert _preferences(api, merchant, second)["return_action"] == "Quarantine"


def test_bulk_download_lists_every_product(api: Api, merchant: Merchant, signed_in: Browser) -> None:
    product = api.product(merchant)
    text = signed_in.client.get("/products/bulk/preferences.csv").text
    assert text.startswith("sku,return_action") and product["sku"] in text


def test_another_merchants_product_is_the_404_page(api: Api, signed_in: Browser) -> None:
    theirs = api.product(api.merchant())
    assert signed_in.client.get(f"/products/{theirs['id']}").status_code == 404
