"""New return and Edit return no longer carry the catalog: the product picker asks a small search page as
the merchant types (issue 22, item 4); without JS the SKU typed is checked on submit."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine

from boomerang.adapters.bulk_writer import BulkWriter
from boomerang.adapters.tables import core
from boomerang.sample.bench_catalog import product_rows
from tests.support.builders import Api, Merchant
from tests.web.conftest import Browser

CATALOG = 600  # more than the old picker's 500


@pytest.fixture
def catalog(engine: Engine, merchant: Merchant) -> list[str]:
    """The merchant's bulk catalog ("pk-sku-000001"...), written straight to the database like the seed."""
    rows = product_rows(merchant.id, "pk", CATALOG, random.Random(3), datetime.now(UTC))
    BulkWriter(engine).write(core.products, rows)
    return [str(r["sku"]) for r in rows]


def _search(browser: Browser, q: str) -> list[dict[str, object]]:
    response = browser.client.get("/returns/product-search", params={"q": q})
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    return list(response.json()["items"])


def test_the_new_return_page_does_not_carry_the_catalog(
    api: Api, merchant: Merchant, signed_in: Browser, catalog: list[str]
) -> None:
    html = signed_in.client.get("/returns/new").text
    assert "<h1>New return</h1>" in html
    assert not [sku for sku in catalog if sku in html]
    assert "<datalist" not in html and 'data-picker-url="/returns/product-search"' in html
    assert 'id="sku_0" name="sku_0" type="text"' in html  # a plain field without JS


def test_the_edit_page_does_not_carry_the_catalog_but_shows_its_lines_advice(
    api: Api, merchant: Merchant, signed_in: Browser, catalog: list[str]
) -> None:
    fc = api.fulfillment_center()
    food = api.product(merchant, sku="PK-FOOD", category="Food")
    order = api.return_order(merchant, fc["id"], [food])
    html = signed_in.client.get(f"/returns/{order['id']}/edit").text
    assert not [sku for sku in catalog if sku in html]
    assert 'value="PK-FOOD"' in html and "PK-FOOD will be disposed" in html


def test_the_search_finds_by_sku_prefix_name_and_barcode(api: Api, merchant: Merchant, signed_in: Browser) -> None:
    tent = api.product(merchant, sku="PK-TENT-2P", name="Two-person tent", barcodes=["0810001000011"])
    api.product(merchant, sku="PK-TARP", name="Tarp", barcodes=["0810001000099"])
    assert [p["sku"] for p in _search(signed_in, "pk-t")] == ["PK-TARP", "PK-TENT-2P"]
    assert [p["sku"] for p in _search(signed_in, "person ten")] == ["PK-TENT-2P"]
    (found,) = _search(signed_in, "0810001000011")
    assert found == {"sku": tent["sku"], "name": "Two-person tent", "barcodes": ["0810001000011"], "advice": []}
    assert _search(signed_in, "") == [] and _search(signed_in, "nothing like it") == []


def test_the_search_answers_at_most_twenty_and_carries_each_products_advice(
    merchant: Merchant, signed_in: Browser, catalog: list[str]
) -> None:
    found = _search(signed_in, "pk-sku")
    assert [p["sku"] for p in found] == catalog[:20]
    (food,) = _search(signed_in, "pk-sku-000010")  # every tenth bench product is food
    assert any("will be disposed" in str(note) for note in food["advice"])  # type: ignore[attr-defined]


def test_the_search_never_shows_another_merchants_products(api: Api, merchant: Merchant, signed_in: Browser) -> None:
    other = api.merchant()
    api.product(other, sku="THEIRS-TENT", name="Their tent", barcodes=["999000111"])
    assert _search(signed_in, "theirs") == [] and _search(signed_in, "999000111") == []
    assert _search(signed_in, "their tent") == []


def test_the_search_needs_a_merchant_session(api: Api, merchant: Merchant, browser: Browser) -> None:
    response = browser.client.get("/returns/product-search", params={"q": "pk"}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_a_sku_typed_without_the_picker_is_checked_and_named_by_its_line(
    api: Api, merchant: Merchant, signed_in: Browser
) -> None:
    fc = api.fulfillment_center()
    api.product(merchant, sku="PK-KNOWN", category="Food")
    data = {
        "fulfillment_center_id": fc["id"],
        "reference_id": "PICK-RMA-0001",
        "sku_0": "PK-KNOWN",
        "sku_2": "PK-NOT-OURS",
        "quantity_2": "1",
    }
    response = signed_in.post("/returns/new", data)
    assert response.status_code == 422
    assert 'role="alert"' in response.text
    assert "Product 3: unknown product PK-NOT-OURS" in response.text
    assert "PK-KNOWN will be disposed" in response.text  # the advice of the lines already on the form
    assert api.client.get("/api/v1/returns", headers=merchant.headers).json()["items"] == []
    response = signed_in.post("/returns/new", {**data, "sku_2": ""})
    assert response.status_code == 303
