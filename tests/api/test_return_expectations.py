"""Before the package arrives: each line's expected action, and the return's warnings (computed on read)."""

from __future__ import annotations

from typing import Any

from tests.api.dock import complete, inspect, processing, scan, shipment, upload_photo
from tests.support.builders import Api, Merchant

V1 = "/api/v1"
CONFIGURED = {"return_action": "Restock", "rts_action": "Restock"}


def _line(order: dict[str, Any], product: dict[str, Any]) -> dict[str, Any]:
    return next(line for line in order["inventory"] if line["product_id"] == product["id"])


def _expected(order: dict[str, Any], product: dict[str, Any]) -> tuple[str, str]:
    line = _line(order, product)
    return line["expected_action"], line["expected_reason"]


def _warnings(order: dict[str, Any]) -> list[tuple[str, str]]:
    return [(w["line_id"], w["code"]) for w in order["warnings"]]


def _get(api: Api, merchant: Merchant, return_id: str) -> dict[str, Any]:
    response = api.client.get(f"{V1}/returns/{return_id}", headers=merchant.headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_every_line_says_what_will_happen_and_warnings_never_block(api: Api) -> None:
    merchant, fc, _ = api.setup()
    plain = api.product(merchant, return_preferences=CONFIGURED)
    quarantined = api.product(merchant, return_preferences={"return_action": "Quarantine"})
    food = api.product(merchant, category="Food", return_preferences=CONFIGURED)
    lot = api.product(merchant, is_lot_tracked=True, return_preferences=CONFIGURED)
    hazmat = api.product(merchant, is_dangerous_goods=True, return_preferences=CONFIGURED)
    unconfigured = api.product(merchant)
    products = [plain, quarantined, food, lot, hazmat, unconfigured]
    order = api.return_order(merchant, fc["id"], products)  # 201: nothing here blocks creation
    assert [_expected(order, p) for p in products] == [
        ("Restock", "MerchantPreference"),
        ("Quarantine", "MerchantPreference"),
        ("Dispose", "IneligibleCategory"),
        ("Restock", "MerchantPreference"),
        ("Restock", "MerchantPreference"),
        ("Restock", "MerchantPreference"),
    ]
    assert _warnings(order) == [
        (_line(order, food)["id"], "ineligible_category"),
        (_line(order, lot)["id"], "restock_not_advised"),
        (_line(order, hazmat)["id"], "dangerous_goods_prepaid_only"),
        (_line(order, unconfigured)["id"], "preferences_not_configured"),
    ]
    assert all(w["message"] for w in order["warnings"])
    assert _get(api, merchant, order["id"]) == order
    listed = api.client.get(f"{V1}/returns", headers=merchant.headers).json()["items"]
    assert listed == [order]


def test_a_hazardous_materials_line_is_disposed_and_needs_a_prepaid_label(api: Api) -> None:
    merchant, fc, _ = api.setup()
    aerosol = api.product(merchant, category="HazardousMaterials", return_preferences=CONFIGURED)
    order = api.return_order(merchant, fc["id"], [aerosol])
    assert _expected(order, aerosol) == ("Dispose", "IneligibleCategory")
    assert [code for _, code in _warnings(order)] == ["ineligible_category", "dangerous_goods_prepaid_only"]


def test_an_override_is_what_the_line_expects(api: Api) -> None:
    merchant, fc, _ = api.setup()
    kit = api.product(merchant, is_kitted=True, return_preferences=CONFIGURED)
    body = {
        "reference_id": "RMA-OVERRIDE-1",
        "fulfillment_center_id": fc["id"],
        "inventory": [{"product_id": kit["id"], "quantity": 1, "requested_action": "Quarantine"}],
    }
    order = api.client.post(f"{V1}/returns", json=body, headers=merchant.headers).json()
    assert _expected(order, kit) == ("Quarantine", "MerchantPreference")
    assert order["warnings"] == []  # the kit will not be restocked: nothing to advise


def test_expectations_and_warnings_follow_the_products_current_preferences(api: Api) -> None:
    merchant, fc, _ = api.setup()
    lot = api.product(merchant, is_lot_tracked=True)
    order = api.return_order(merchant, fc["id"], [lot])
    assert [code for _, code in _warnings(order)] == ["restock_not_advised", "preferences_not_configured"]
    prefs = {"return_action": "Dispose", "rts_action": "Restock", "backup_action": "Dispose"}
    url = f"{V1}/products/{lot['id']}/return-preferences"
    assert api.client.put(url, json=prefs, headers=merchant.headers).status_code == 200
    again = _get(api, merchant, order["id"])
    assert _expected(again, lot) == ("Dispose", "MerchantPreference")
    assert again["warnings"] == []  # a Regular return: the RTS action does not apply


def test_a_return_to_sender_expects_the_rts_action(api: Api) -> None:
    merchant, fc, operator = api.setup()
    sioc = api.product(merchant, is_sioc=True, return_preferences={"return_action": "Quarantine"})
    sent = shipment(api, merchant, fc["id"], [sioc])
    body = {"tracking_number": sent["tracking_number"], "status": "ReturnToSender", "occurred_at": "2026-11-26T09:00Z"}
    assert api.client.post(f"{V1}/carrier-events", json=body, headers=api.integration_token()).status_code == 202
    created = scan(api, operator, fc["id"], sent["tracking_number"]).json()
    assert created["outcome"] == "rts_created"
    order = created["return"]
    assert _expected(order, sioc) == ("Restock", "MerchantPreference")  # rts_action defaults to Restock
    assert [code for _, code in _warnings(order)] == ["restock_not_advised"]


def test_a_flawless_arrival_does_what_was_expected(api: Api) -> None:
    merchant, fc, operator = api.setup()
    prefs = {**CONFIGURED, "inspection_steps": ["Sealed", "No stains"]}
    mug = api.product(merchant, return_preferences=prefs)
    lot = api.product(merchant, is_lot_tracked=True, minimum_shelf_life_days=30, return_preferences=CONFIGURED)
    food = api.product(merchant, category="Food", return_preferences=CONFIGURED)
    order = api.return_order(merchant, fc["id"], [mug, lot, food])
    processing(api, operator, order)
    photo = upload_photo(api, operator, order["id"]).json()["photo_id"]
    facts = {
        mug["id"]: {"step_results": [True, True]},
        lot["id"]: {"lot_number": "L-1", "expiration_date": "2030-01-31", "photo_ids": [photo]},
        food["id"]: {},
    }
    for line in order["inventory"]:
        inspected = inspect(api, operator, order["id"], line["id"], **facts[line["product_id"]])
        assert inspected.status_code == 200, inspected.text
        preview = inspected.json()
        assert (preview["expected_action"], preview["expected_reason"]) == (
            line["expected_action"],
            line["expected_reason"],
        )
    done = complete(api, operator, order["id"]).json()
    for line in done["inventory"]:
        (taken,) = line["actions_taken"]
        assert (taken["action"], taken["action_reason"]) == (line["expected_action"], line["expected_reason"])


def test_product_advice_warns_when_the_rts_action_restocks(api: Api) -> None:
    merchant = api.merchant()
    lot = api.product(merchant, is_lot_tracked=True, return_preferences={"return_action": "Quarantine"})
    (advice,) = lot["advice"]
    assert advice["code"] == "restock_not_advised" and "RTS" in advice["message"]
    url = f"{V1}/products/{lot['id']}/return-preferences"
    api.client.put(url, json={"return_action": "Quarantine", "rts_action": "Dispose"}, headers=merchant.headers)
    assert api.client.get(f"{V1}/products/{lot['id']}", headers=merchant.headers).json()["advice"] == []
