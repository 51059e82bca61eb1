"""Inventory: on-hand sums of the ledger per product, FC and lot; the ledger; admin adjustments."""

from __future__ import annotations

from typing import Any

from tests.api.dock import completed_return, upload_photo
from tests.errors import assert_error
from tests.support.builders import Api, Merchant


def _adjust(api: Api, merchant: Merchant, product: dict[str, Any], fc_id: str, quantity: int, **fields: Any) -> Any:
    body = {
        "merchant_id": merchant.id,
        "product_id": product["id"],
        "fulfillment_center_id": fc_id,
        "bucket": "Sellable",
        "quantity": quantity,
        "note": "cycle count",
        **fields,
    }
    return api.client.post("/api/v1/admin/inventory-adjustments", json=body, headers=api.admin)


def _stock(api: Api, who: Any, query: str = "") -> list[tuple[Any, ...]]:
    body = api.client.get(f"/api/v1/inventory{query}", headers=who.headers).json()
    return [
        (i["product_id"], i["fulfillment_center_id"], i["lot_number"], i["sellable"], i["quarantine"])
        for i in body["items"]
    ]


def test_an_adjustment_is_a_ledger_entry_and_changes_on_hand(api: Api) -> None:
    merchant, fc, _ = api.setup()
    product = api.product(merchant)
    response = _adjust(api, merchant, product, fc["id"], 5)
    assert response.status_code == 201, response.text
    entry = response.json()
    assert (entry["bucket"], entry["quantity"], entry["reason"], entry["note"]) == (
        "Sellable",
        5,
        "Adjustment",
        "cycle count",
    )
    assert _adjust(api, merchant, product, fc["id"], -2).status_code == 201
    assert _stock(api, merchant) == [(product["id"], fc["id"], None, 3, 0)]
    ledger = api.client.get("/api/v1/inventory/ledger", headers=merchant.headers).json()
    assert [e["quantity"] for e in ledger["items"]] == [-2, 5]


def test_an_adjustment_never_drives_a_bucket_negative(api: Api) -> None:
    merchant, fc, _ = api.setup()
    product = api.product(merchant)
    _adjust(api, merchant, product, fc["id"], 2)
    response = _adjust(api, merchant, product, fc["id"], -3)
    assert response.status_code == 422 and response.json()["error"]["code"] == "insufficient_stock"
    too_many = _adjust(api, merchant, product, fc["id"], -1, bucket="Quarantine")
    assert_error(too_many, 422, "insufficient_stock", "quantity")
    assert _stock(api, merchant) == [(product["id"], fc["id"], None, 2, 0)]


def test_invalid_adjustments_are_rejected(api: Api) -> None:
    merchant, fc, _ = api.setup()
    product = api.product(merchant)
    other_product = api.product(api.merchant())
    assert_error(_adjust(api, merchant, product, fc["id"], 0), 422, "validation_error", "quantity")
    assert_error(_adjust(api, merchant, other_product, fc["id"], 1), 422, "unknown_product", "product_id")
    unknown_fc = _adjust(api, merchant, product, "fc_unknown", 1)
    assert_error(unknown_fc, 422, "unknown_fulfillment_center", "fulfillment_center_id")
    assert_error(_adjust(api, merchant, product, fc["id"], 1, bucket="Lost"), 422, "validation_error", "bucket")
    response = api.client.post("/api/v1/admin/inventory-adjustments", json={}, headers=merchant.headers)
    assert_error(response, 403, "forbidden")


def test_merchants_see_their_own_stock_and_operators_that_of_their_fcs(api: Api) -> None:
    merchant, fc, operator = api.setup()
    product = api.product(merchant)
    other_fc = api.fulfillment_center()
    _adjust(api, merchant, product, fc["id"], 1)
    _adjust(api, merchant, product, other_fc["id"], 4)
    stranger = api.merchant()
    assert _stock(api, stranger) == []
    assert _stock(api, operator) == [(product["id"], fc["id"], None, 1, 0)]
    assert sorted(_stock(api, merchant)) == sorted(
        [(product["id"], fc["id"], None, 1, 0), (product["id"], other_fc["id"], None, 4, 0)]
    )
    assert _stock(api, merchant, f"?fulfillment_center_id={other_fc['id']}") == [
        (product["id"], other_fc["id"], None, 4, 0)
    ]


def test_lots_are_separate_positions_with_their_expiry(api: Api) -> None:
    merchant, fc, operator = api.setup()
    product = api.product(merchant, is_lot_tracked=True)
    for lot in ("LOT-A", "LOT-B"):
        order = api.return_order(merchant, fc["id"], [product])
        from tests.api.dock import complete, inspect, processing

        processing(api, operator, order)
        photo = upload_photo(api, operator, order["id"]).json()["photo_id"]
        body = {"lot_number": lot, "expiration_date": "2028-06-30", "photo_ids": [photo]}
        assert inspect(api, operator, order["id"], order["inventory"][0]["id"], **body).status_code == 200
        assert complete(api, operator, order["id"]).status_code == 200
    items = api.client.get("/api/v1/inventory", headers=merchant.headers).json()["items"]
    assert [(i["lot_number"], i["expiration_date"], i["sellable"]) for i in items] == [
        ("LOT-A", "2028-06-30", 1),
        ("LOT-B", "2028-06-30", 1),
    ]


def _positions(api: Api, who: Any, query: str = "") -> list[tuple[Any, ...]]:
    body = api.client.get(f"/api/v1/inventory{query}", headers=who.headers).json()
    return [(i["lot_number"], i["expiration_date"], i["sellable"], i["quarantine"]) for i in body["items"]]


def test_one_lot_number_with_two_expiration_dates_is_two_positions(api: Api) -> None:
    merchant, fc, operator = api.setup()
    product = api.product(merchant, is_lot_tracked=True, return_preferences={"return_action": "Restock"})
    lot = {"lot_number": "L-7", "with_photo": True}
    completed_return(api, merchant, operator, fc["id"], product, expiration_date="2029-01-31", **lot)
    completed_return(api, merchant, operator, fc["id"], product, 2, expiration_date="2028-06-30", **lot)
    assert _positions(api, merchant) == [("L-7", "2028-06-30", 2, 0), ("L-7", "2029-01-31", 1, 0)]
    ledger = api.client.get(f"/api/v1/inventory/ledger?product_id={product['id']}", headers=merchant.headers).json()
    assert sorted((e["lot_number"], e["expiration_date"], e["quantity"]) for e in ledger["items"]) == [
        ("L-7", "2028-06-30", 2),
        ("L-7", "2029-01-31", 1),
    ]
    first = api.client.get("/api/v1/inventory?limit=1", headers=merchant.headers).json()
    second = api.client.get(f"/api/v1/inventory?limit=1&cursor={first['next_cursor']}", headers=merchant.headers)
    assert [i["expiration_date"] for i in first["items"] + second.json()["items"]] == ["2028-06-30", "2029-01-31"]
    assert second.json()["next_cursor"] is None


def test_an_adjustment_names_the_lot_and_expiry_it_corrects(api: Api) -> None:
    merchant, fc, operator = api.setup()
    product = api.product(merchant, is_lot_tracked=True, return_preferences={"return_action": "Restock"})
    lot = {"lot_number": "L-7"}
    for expiry in ("2028-06-30", "2029-01-31"):
        completed_return(api, merchant, operator, fc["id"], product, expiration_date=expiry, with_photo=True, **lot)
    response = _adjust(api, merchant, product, fc["id"], -1, **lot, expiration_date="2029-01-31")
    assert response.status_code == 201, response.text
    assert (response.json()["lot_number"], response.json()["expiration_date"]) == ("L-7", "2029-01-31")
    assert _positions(api, merchant) == [("L-7", "2028-06-30", 1, 0)]
    # the lot without an expiry is a position of its own (empty), never the sum of both dates
    assert _adjust(api, merchant, product, fc["id"], -1, **lot).json()["error"]["code"] == "insufficient_stock"
    without_lot = _adjust(api, merchant, product, fc["id"], 1, expiration_date="2029-01-31")
    assert_error(without_lot, 422, "validation_error", "expiration_date")
    assert without_lot.json()["error"]["details"][0]["field"] == "expiration_date"


def test_the_bucket_filter_keeps_positions_with_units_there(api: Api) -> None:
    merchant, fc, operator = api.setup()
    sellable = api.product(merchant)
    quarantined = api.product(merchant, return_preferences={"return_action": "Quarantine"})
    completed_return(api, merchant, operator, fc["id"], sellable)
    completed_return(api, merchant, operator, fc["id"], quarantined)
    assert _stock(api, merchant, "?bucket=Quarantine") == [(quarantined["id"], fc["id"], None, 0, 1)]
    assert _stock(api, merchant, f"?product_id={sellable['id']}") == [(sellable["id"], fc["id"], None, 1, 0)]


def test_disposed_units_are_in_the_ledger_but_not_on_hand(api: Api) -> None:
    merchant, fc, operator = api.setup()
    food = api.product(merchant, category="Food")
    done = completed_return(api, merchant, operator, fc["id"], food)
    assert _stock(api, merchant) == []
    ledger = api.client.get(f"/api/v1/inventory/ledger?product_id={food['id']}", headers=merchant.headers).json()
    assert [(e["bucket"], e["quantity"], e["return_id"], e["reason"]) for e in ledger["items"]] == [
        ("Disposed", 1, done["id"], "IneligibleCategory")
    ]


def test_inventory_is_paginated(api: Api) -> None:
    merchant, fc, _ = api.setup()
    products = [api.product(merchant) for _ in range(3)]
    for product in products:
        _adjust(api, merchant, product, fc["id"], 1)
    lotted = api.product(merchant, is_lot_tracked=True)
    for lot in (None, "LOT/ä 1", "LOT-2"):
        _adjust(api, merchant, lotted, fc["id"], 1, lot_number=lot)
    seen, cursor = [], ""
    for _ in range(5):
        page = api.client.get(f"/api/v1/inventory?limit=2{cursor}", headers=merchant.headers).json()
        seen += [(i["product_id"], i["lot_number"]) for i in page["items"]]
        if page["next_cursor"] is None:
            break
        cursor = f"&cursor={page['next_cursor']}"
    expected = [(p["id"], None) for p in products] + [(lotted["id"], lot) for lot in (None, "LOT/ä 1", "LOT-2")]
    assert sorted(seen, key=str) == sorted(expected, key=str) and len(seen) == 6
    forged = api.client.get("/api/v1/inventory?cursor=Zm9vAWJhcgFiYXoBcXV4", headers=merchant.headers)
    assert_error(forged, 422, "invalid_cursor", "cursor")
    assert_error(
        api.client.get("/api/v1/inventory?limit=0", headers=merchant.headers), 422, "validation_error", "limit"
    )


def test_the_ledger_is_for_merchants_and_paginated(api: Api) -> None:
    merchant, fc, operator = api.setup()
    product = api.product(merchant)
    for _ in range(3):
        _adjust(api, merchant, product, fc["id"], 1)
    assert_error(api.client.get("/api/v1/inventory/ledger", headers=operator.headers), 403, "forbidden")
    first = api.client.get("/api/v1/inventory/ledger?limit=2", headers=merchant.headers).json()
    second = api.client.get(f"/api/v1/inventory/ledger?limit=2&cursor={first['next_cursor']}", headers=merchant.headers)
    assert len(first["items"]) == 2 and len(second.json()["items"]) == 1
    assert api.client.get("/api/v1/inventory/ledger", headers=api.merchant().headers).json()["items"] == []
