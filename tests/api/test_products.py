"""Products and their return preferences over HTTP."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine, insert

from boomerang.adapters.tables.ledger import ledger_entries
from boomerang.domain.ids import new_id
from tests.errors import assert_error
from tests.support.builders import Api, FrozenClock, Merchant, post_at_once

V1 = "/api/v1"
DEFAULT_PREFERENCES = {
    "return_action": "Restock",
    "rts_action": "Restock",
    "backup_action": "Quarantine",
    "inspection_steps": [],
    "preferences_configured": False,
}
# What the warehouse cannot do in an inspection step (API.md): the preferences endpoints say so.
INSPECTION_LIMITATIONS = [
    "Plug in electronic devices",
    "Disassemble products",
    "Re-kit un-kitted items",
    "Scan serial numbers",
    "Log data in external documents",
    "Sort by lot numbers",
    "Take standard product photos",
]


def endpoint_view(preferences: dict[str, Any]) -> dict[str, Any]:
    """GET/PUT /products/{id}/return-preferences: the preferences and the inspection limitations."""
    return {**preferences, "inspection_limitations": INSPECTION_LIMITATIONS}


def test_a_new_product_has_defaults_and_unconfigured_preferences(api: Api) -> None:
    merchant = api.merchant()
    response = api.client.post(f"{V1}/products", json={"sku": "MUG-1", "name": "Mug"}, headers=merchant.headers)
    assert response.status_code == 201
    body = response.json()
    assert body["id"].startswith("prd_")
    assert body["sku"] == "MUG-1" and body["name"] == "Mug"
    assert body["barcodes"] == [] and body["category"] == "General"
    assert not any(body[f] for f in ("is_lot_tracked", "is_kitted", "is_sioc", "is_dangerous_goods"))
    assert body["minimum_shelf_life_days"] == 0
    assert body["return_preferences"] == DEFAULT_PREFERENCES
    assert body["created_at"].endswith("Z") and body["updated_at"].endswith("Z")


def test_a_product_created_with_preferences_is_configured(api: Api) -> None:
    merchant = api.merchant()
    prefs = {"return_action": "Quarantine", "inspection_steps": ["Seal intact"]}
    body = api.product(merchant, category="Food", barcodes=["0123"], is_lot_tracked=True, return_preferences=prefs)
    assert body["category"] == "Food" and body["barcodes"] == ["0123"] and body["is_lot_tracked"] is True
    assert body["return_preferences"] == {
        **DEFAULT_PREFERENCES,
        "return_action": "Quarantine",
        "inspection_steps": ["Seal intact"],
        "preferences_configured": True,
    }


def test_sku_is_unique_per_merchant_only(api: Api) -> None:
    a, b = api.merchant(), api.merchant()
    api.product(a, sku="SAME-SKU")
    response = api.client.post(f"{V1}/products", json={"sku": "SAME-SKU", "name": "Again"}, headers=a.headers)
    assert_error(response, 409, "duplicate_sku")
    assert api.product(b, sku="SAME-SKU")["sku"] == "SAME-SKU"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": "No sku"}, "sku"),
        ({"sku": "", "name": "x"}, "sku"),
        ({"sku": "   ", "name": "x"}, "sku"),
        ({"sku": "S" * 101, "name": "x"}, "sku"),
        ({"sku": "S1"}, "name"),
        ({"sku": "S1", "name": "x", "category": "Toys"}, "category"),
        ({"sku": "S1", "name": "x", "is_kitted": "true"}, "is_kitted"),
        ({"sku": "S1", "name": "x", "is_sioc": 1}, "is_sioc"),
        ({"sku": "S1", "name": "x", "minimum_shelf_life_days": -1}, "minimum_shelf_life_days"),
        ({"sku": "S1", "name": "x", "minimum_shelf_life_days": "30"}, "minimum_shelf_life_days"),
        ({"sku": "S1", "name": "x", "minimum_shelf_life_days": 3651}, "minimum_shelf_life_days"),
        ({"sku": "S1", "name": "x", "barcodes": [""]}, "barcodes[0]"),
        (
            {"sku": "S1", "name": "x", "return_preferences": {"backup_action": "Restock"}},
            "return_preferences.backup_action",
        ),
    ],
)
def test_invalid_products_are_422_with_the_field(api: Api, payload: dict[str, Any], field: str) -> None:
    merchant = api.merchant()
    assert_error(
        api.client.post(f"{V1}/products", json=payload, headers=merchant.headers), 422, "validation_error", field
    )


def test_get_and_patch_a_product(api: Api, clock: FrozenClock) -> None:
    merchant = api.merchant()
    product = api.product(merchant)
    url = f"{V1}/products/{product['id']}"
    assert api.client.get(url, headers=merchant.headers).json() == product
    clock.advance(hours=1)
    response = api.client.patch(url, json={"name": "Renamed", "is_kitted": True}, headers=merchant.headers)
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Renamed" and body["is_kitted"] is True and body["sku"] == product["sku"]
    assert body["updated_at"] > product["updated_at"] and body["created_at"] == product["created_at"]
    assert api.client.get(url, headers=merchant.headers).json() == body


def test_patching_a_sku_onto_another_products_sku_is_409(api: Api) -> None:
    merchant = api.merchant()
    api.product(merchant, sku="TAKEN-1")
    other = api.product(merchant)
    response = api.client.patch(f"{V1}/products/{other['id']}", json={"sku": "TAKEN-1"}, headers=merchant.headers)
    assert_error(response, 409, "duplicate_sku")


@pytest.mark.parametrize(("payload", "field"), [({"name": None}, "name"), ({"is_sioc": "yes"}, "is_sioc")])
def test_patching_with_invalid_values_is_422(api: Api, payload: dict[str, Any], field: str) -> None:
    merchant = api.merchant()
    product = api.product(merchant)
    response = api.client.patch(f"{V1}/products/{product['id']}", json=payload, headers=merchant.headers)
    assert_error(response, 422, "validation_error", field)


@pytest.mark.parametrize("method", ["get", "patch"])
def test_unknown_product_is_404(api: Api, method: str) -> None:
    merchant = api.merchant()
    response = api.client.request(method, f"{V1}/products/prd_nope", json={}, headers=merchant.headers)
    assert_error(response, 404, "product_not_found")


def _ids(api: Api, merchant: Merchant, **params: Any) -> list[str]:
    response = api.client.get(f"{V1}/products", params=params, headers=merchant.headers)
    assert response.status_code == 200, response.text
    return [p["id"] for p in response.json()["items"]]


def test_products_filter_by_sku_category_and_configured(api: Api) -> None:
    merchant = api.merchant()
    mug = api.product(merchant, sku="MUG-RED", name="Red mug")
    pill = api.product(merchant, sku="VIT-C", name="Vitamin C", category="Medicine")
    api.client.put(f"{V1}/products/{pill['id']}/return-preferences", json={}, headers=merchant.headers)
    assert _ids(api, merchant) == [mug["id"], pill["id"]]
    assert _ids(api, merchant, sku="MUG-RED") == [mug["id"]]
    assert _ids(api, merchant, sku="mug-red") == []
    assert _ids(api, merchant, category="Medicine") == [pill["id"]]
    assert _ids(api, merchant, preferences_configured="true") == [pill["id"]]
    assert _ids(api, merchant, preferences_configured="false") == [mug["id"]]


def test_products_q_searches_sku_name_and_barcode_case_insensitively(api: Api) -> None:
    merchant = api.merchant()
    mug = api.product(merchant, sku="MUG-RED", name="Enamel Mug", barcodes=["4006381333931"])
    cap = api.product(merchant, sku="CAP-100%", name="Cap", barcodes=[])
    assert _ids(api, merchant, q="mug-r") == [mug["id"]]
    assert _ids(api, merchant, q="ENAMEL") == [mug["id"]]
    assert _ids(api, merchant, q="38133") == [mug["id"]]
    assert _ids(api, merchant, q="100%") == [cap["id"]]
    assert _ids(api, merchant, q="%") == [cap["id"]]
    assert _ids(api, merchant, q="_") == []


def test_products_quarantined_filter_uses_quarantine_stock(api: Api, engine: Engine, clock: FrozenClock) -> None:
    merchant = api.merchant()
    fc = api.fulfillment_center()
    held, free = api.product(merchant), api.product(merchant)
    with engine.begin() as conn:
        for product, bucket in ((held, "Quarantine"), (free, "Sellable")):
            conn.execute(
                insert(ledger_entries).values(
                    id=new_id("led"),
                    merchant_id=merchant.id,
                    product_id=product["id"],
                    fulfillment_center_id=fc["id"],
                    bucket=bucket,
                    quantity=2,
                    reason="ReturnCompleted",
                    originator="test",
                    created_at=clock.now,
                )
            )
    assert _ids(api, merchant, quarantined="true") == [held["id"]]
    assert _ids(api, merchant, quarantined="false") == [free["id"]]


@pytest.mark.parametrize(
    "params",
    [{"category": "Toys"}, {"preferences_configured": "maybe"}, {"limit": 0}, {"limit": 201}, {"cursor": "!!"}],
)
def test_bad_product_list_parameters_are_422(api: Api, params: dict[str, Any]) -> None:
    merchant = api.merchant()
    response = api.client.get(f"{V1}/products", params=params, headers=merchant.headers)
    assert response.status_code == 422
    assert response.json()["error"]["details"]


def test_preferences_are_read_and_replaced(api: Api) -> None:
    merchant = api.merchant()
    product = api.product(merchant)
    url = f"{V1}/products/{product['id']}/return-preferences"
    assert api.client.get(url, headers=merchant.headers).json() == endpoint_view(DEFAULT_PREFERENCES)
    new = {
        "return_action": "Dispose",
        "rts_action": "Quarantine",
        "backup_action": "Dispose",
        "inspection_steps": ["Box sealed", "No stains", "Tags on"],
    }
    response = api.client.put(url, json=new, headers=merchant.headers)
    assert response.status_code == 200
    saved = endpoint_view({**new, "preferences_configured": True})
    assert response.json() == saved
    assert api.client.get(url, headers=merchant.headers).json() == saved
    product_view = api.client.get(f"{V1}/products/{product['id']}", headers=merchant.headers).json()
    assert product_view["return_preferences"] == {**new, "preferences_configured": True}


def test_putting_empty_preferences_saves_the_defaults_as_configured(api: Api) -> None:
    merchant = api.merchant()
    product = api.product(merchant)
    url = f"{V1}/products/{product['id']}/return-preferences"
    response = api.client.put(url, json={}, headers=merchant.headers)
    assert response.json() == endpoint_view({**DEFAULT_PREFERENCES, "preferences_configured": True})


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"inspection_steps": ["a", "b", "c", "d"]}, "inspection_steps"),
        ({"inspection_steps": [""]}, "inspection_steps[0]"),
        ({"inspection_steps": ["ok", "x" * 201]}, "inspection_steps[1]"),
        ({"inspection_steps": ["   "]}, "inspection_steps[0]"),
        ({"backup_action": "Restock"}, "backup_action"),
        ({"return_action": "Recycle"}, "return_action"),
        ({"rts_action": "restock"}, "rts_action"),
        ({"inspection_steps": "one step"}, "inspection_steps"),
    ],
)
def test_bad_preferences_are_422_and_change_nothing(api: Api, payload: dict[str, Any], field: str) -> None:
    merchant = api.merchant()
    product = api.product(merchant)
    url = f"{V1}/products/{product['id']}/return-preferences"
    assert_error(api.client.put(url, json=payload, headers=merchant.headers), 422, "validation_error", field)
    assert api.client.get(url, headers=merchant.headers).json() == endpoint_view(DEFAULT_PREFERENCES)


def test_preferences_of_an_unknown_product_are_404(api: Api) -> None:
    merchant = api.merchant()
    url = f"{V1}/products/prd_nope/return-preferences"
    assert_error(api.client.get(url, headers=merchant.headers), 404, "product_not_found")
    assert_error(api.client.put(url, json={}, headers=merchant.headers), 404, "product_not_found")


def test_restocking_a_kitted_product_gets_advice(api: Api) -> None:
    merchant = api.merchant()
    product = api.product(merchant, is_kitted=True)
    assert {a["code"] for a in product["advice"]} == {"restock_not_advised", "preferences_not_configured"}


@pytest.mark.several_connections
def test_concurrent_creates_of_one_sku_give_one_201_and_one_409(api: Api, app: Any) -> None:
    merchant = api.merchant()
    for round_ in range(3):
        body = {"sku": f"RACE-{round_}", "name": "Mug"}
        results = post_at_once(app, f"{V1}/products", json=body, headers=merchant.headers)
        assert sorted(r.status_code for r in results) == [201, 409], [r.text for r in results]
        assert next(r for r in results if r.status_code == 409).json()["error"]["code"] == "duplicate_sku"
