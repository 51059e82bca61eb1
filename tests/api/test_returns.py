"""Return orders over HTTP: create, read, edit, cancel, status history and the list with its filters."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from boomerang.bootstrap import make_uow_factory
from boomerang.domain.returns import ActionReason, ActionTaken, TakenAction
from boomerang.domain.tenants import Principal, Role
from boomerang.services.auth import SYSTEM
from tests.api.dock import shipment
from tests.errors import assert_error
from tests.support.builders import Api, FrozenClock, post_at_once, unique

V1 = "/api/v1"


def advance(session_factory: sessionmaker[Session], return_id: str, *events: str) -> None:
    """Move a return through the domain's own transitions (warehouse endpoints live elsewhere)."""
    operator = Principal(Role.Operator, "test", "dock", operator_id="op_test")
    with make_uow_factory(session_factory)(SYSTEM) as uow:
        order = uow.returns.get(return_id, for_update=True)
        for event in events:
            if event == "complete":
                done = {
                    line.id: [ActionTaken(TakenAction.Restock, ActionReason.MerchantPreference, line.quantity)]
                    for line in order.lines
                }
                order.complete(operator.actor, uow.now, done)
            else:
                getattr(order, event)(operator.actor, uow.now)
        uow.commit()


def payload(fc_id: str, products: list[dict[str, Any]], **fields: Any) -> dict[str, Any]:
    return {
        "reference_id": unique("RMA-NEW"),
        "fulfillment_center_id": fc_id,
        "inventory": [{"product_id": p["id"], "quantity": 1} for p in products],
        **fields,
    }


def test_creating_a_return_answers_201_with_the_full_resource_and_etag(api: Api, clock: FrozenClock) -> None:
    merchant, fc, _ = api.setup()
    mug = api.product(merchant, sku="MUG-1", name="Mug")
    cap = api.product(merchant, sku="CAP-1", name="Cap")
    sent = shipment(api, merchant, fc["id"], [mug, cap])
    body = {
        "reference_id": "RMA-2026-0001",
        "fulfillment_center_id": fc["id"],
        "inventory": [
            {"product_id": mug["id"], "quantity": 2, "reason": "Too small"},
            {"sku": "CAP-1", "quantity": 1, "requested_action": "Dispose"},
        ],
        "tracking_number": "1Z999",
        "original_shipment_id": sent["id"],
        "store_order_id": "#1001",
        "customer_name": "Ann Lee",
    }
    response = api.client.post(f"{V1}/returns", json=body, headers=merchant.headers)
    assert response.status_code == 201, response.text
    order = response.json()
    assert response.headers["etag"] == f'"{order["version"]}"'
    assert order["id"].startswith("ret_")
    assert order["status"] == "AwaitingArrival" and order["return_type"] == "Regular" and order["channel"] == "API"
    assert order["fulfillment_center"] == {"id": fc["id"], "name": fc["name"]}
    for name in ("reference_id", "tracking_number", "original_shipment_id", "store_order_id", "customer_name"):
        assert order[name] == body[name]
    assert order["label"] is None
    assert order["insert_date"] == order["awaiting_arrival_date"] and order["insert_date"].endswith("Z")
    assert order["arrived_date"] is order["completed_date"] is order["cancelled_date"] is None
    lines = order["inventory"]
    assert [(x["product_id"], x["sku"], x["name"], x["quantity"]) for x in lines] == [
        (mug["id"], "MUG-1", "Mug", 2),
        (cap["id"], "CAP-1", "Cap", 1),
    ]
    assert [(x["requested_action"], x["action_type"], x["reason"]) for x in lines] == [
        ("Default", "InventoryDefault", "Too small"),
        ("Dispose", "Override", None),
    ]
    assert all(x["quantity_received"] is None and x["actions_taken"] == [] for x in lines)
    assert order["transactions"] == [] and order["invoice_amount"] == {"amount": "0.00", "currency_code": "USD"}
    assert order["status_history"] == [
        {"status": "AwaitingArrival", "timestamp": order["insert_date"], "actor": f"merchant:{merchant.id}"}
    ]
    assert order["tracking_events"] == []
    fetched = api.client.get(f"{V1}/returns/{order['id']}", headers=merchant.headers)
    assert fetched.json() == order and fetched.headers["etag"] == response.headers["etag"]


def test_reference_id_must_be_8_to_50_safe_characters(api: Api) -> None:
    merchant, fc, _ = api.setup()
    product = api.product(merchant)
    for reference_id in ("A" * 7, "A" * 51, "RMA 00001", "RMA.00001", "RMA-0001é", "", " RMA-00001"):
        body = payload(fc["id"], [product], reference_id=reference_id)
        response = api.client.post(f"{V1}/returns", json=body, headers=merchant.headers)
        assert_error(response, 422, "validation_error", "reference_id")
    for reference_id in ("A" * 8, "z" * 50, "Ab-_09xY"):
        body = payload(fc["id"], [product], reference_id=reference_id)
        assert api.client.post(f"{V1}/returns", json=body, headers=merchant.headers).status_code == 201


def test_invalid_lines_are_422_by_field(api: Api) -> None:
    merchant, fc, _ = api.setup()
    product = api.product(merchant)
    other = api.product(api.merchant())
    cases: list[tuple[list[dict[str, Any]], str, str]] = [
        ([], "inventory", "validation_error"),
        ([{"product_id": product["id"], "quantity": 0}], "inventory[0].quantity", "validation_error"),
        ([{"product_id": product["id"], "quantity": -3}], "inventory[0].quantity", "validation_error"),
        ([{"product_id": product["id"], "quantity": "1"}], "inventory[0].quantity", "validation_error"),
        ([{"product_id": product["id"], "quantity": 1.5}], "inventory[0].quantity", "validation_error"),
        ([{"product_id": product["id"]}], "inventory[0].quantity", "validation_error"),
        ([{"product_id": product["id"], "quantity": 10**12}], "inventory[0].quantity", "validation_error"),
        (
            [{"product_id": product["id"], "quantity": 1}, {"sku": product["sku"], "quantity": 2}],
            "inventory[1]",
            "validation_error",
        ),
        ([{"product_id": "prd_unknown", "quantity": 1}], "inventory[0]", "unknown_product"),
        ([{"sku": "NO-SUCH-SKU", "quantity": 1}], "inventory[0]", "unknown_product"),
        ([{"product_id": other["id"], "quantity": 1}], "inventory[0]", "unknown_product"),
        ([{"quantity": 1}], "inventory[0]", "unknown_product"),
        (
            [{"product_id": product["id"], "quantity": 1, "requested_action": "Burn"}],
            "inventory[0].requested_action",
            "validation_error",
        ),
    ]
    for inventory, field, code in cases:
        body = payload(fc["id"], [], inventory=inventory)
        response = api.client.post(f"{V1}/returns", json=body, headers=merchant.headers)
        assert_error(response, 422, code, field)
    assert api.client.get(f"{V1}/returns", headers=merchant.headers).json()["items"] == []


def test_unknown_fulfillment_center_is_422(api: Api) -> None:
    merchant = api.merchant()
    body = payload("fc_unknown", [api.product(merchant)])
    response = api.client.post(f"{V1}/returns", json=body, headers=merchant.headers)
    assert_error(response, 422, "unknown_fulfillment_center", "fulfillment_center_id")


def test_missing_required_fields_are_422_by_field(api: Api) -> None:
    merchant = api.merchant()
    response = api.client.post(f"{V1}/returns", json={}, headers=merchant.headers)
    assert_error(response, 422, "validation_error", "reference_id", "fulfillment_center_id", "inventory")


def test_a_live_reference_id_cannot_be_reused_but_a_cancelled_one_can(api: Api) -> None:
    merchant, fc, _ = api.setup()
    product = api.product(merchant)
    first = api.return_order(merchant, fc["id"], [product], reference_id="RMA-REUSE-1")
    again = payload(fc["id"], [product], reference_id="RMA-REUSE-1")
    assert_error(api.client.post(f"{V1}/returns", json=again, headers=merchant.headers), 409, "duplicate_reference_id")
    assert api.client.post(f"{V1}/returns/{first['id']}/cancel", headers=merchant.headers).status_code == 200
    second = api.client.post(f"{V1}/returns", json=again, headers=merchant.headers)
    assert second.status_code == 201
    assert_error(api.client.post(f"{V1}/returns", json=again, headers=merchant.headers), 409, "duplicate_reference_id")
    other_merchant = api.merchant()
    theirs = payload(fc["id"], [api.product(other_merchant)], reference_id="RMA-REUSE-1")
    assert api.client.post(f"{V1}/returns", json=theirs, headers=other_merchant.headers).status_code == 201


@pytest.mark.several_connections
def test_concurrent_creates_with_one_reference_id_give_one_201_and_one_409(
    api: Api, app: Any, session_factory: sessionmaker[Session]
) -> None:
    merchant, fc, _ = api.setup()
    product = api.product(merchant)
    for round_ in range(3):
        body = payload(fc["id"], [product], reference_id=f"RMA-RACE-{round_:03d}")
        results = post_at_once(app, f"{V1}/returns", json=body, headers=merchant.headers)
        assert sorted(r.status_code for r in results) == [201, 409], [r.text for r in results]
        loser = next(r for r in results if r.status_code == 409)
        assert loser.json()["error"]["code"] == "duplicate_reference_id"
    listed = api.client.get(f"{V1}/returns", headers=merchant.headers).json()["items"]
    assert len(listed) == 3


@pytest.mark.several_connections
def test_concurrent_cancels_are_serialized_one_200_one_409(api: Api, app: Any) -> None:
    merchant, fc, _ = api.setup()
    for _ in range(3):
        order = api.return_order(merchant, fc["id"])
        results = post_at_once(app, f"{V1}/returns/{order['id']}/cancel", headers=merchant.headers)
        assert sorted(r.status_code for r in results) == [200, 409], [r.text for r in results]
        assert next(r for r in results if r.status_code == 409).json()["error"]["code"] == "invalid_transition"
        history = api.client.get(f"{V1}/returns/{order['id']}/status-history", headers=merchant.headers).json()
        assert [h["status"] for h in history["items"]] == ["AwaitingArrival", "Cancelled"]


def test_patch_changes_details_and_lines_and_bumps_the_version(api: Api) -> None:
    merchant, fc, _ = api.setup()
    mug, cap = api.product(merchant), api.product(merchant)
    order = api.return_order(merchant, fc["id"], [mug])
    changes = {
        "customer_name": "Bo",
        "tracking_number": "TRK-2",
        "store_order_id": "#2",
        "reference_id": "RMA-CHANGED-1",
        "inventory": [{"product_id": cap["id"], "quantity": 3, "requested_action": "Quarantine"}],
    }
    response = api.client.patch(f"{V1}/returns/{order['id']}", json=changes, headers=merchant.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["version"] == order["version"] + 1
    assert response.headers["etag"] == f'"{body["version"]}"'
    assert (body["customer_name"], body["tracking_number"], body["store_order_id"], body["reference_id"]) == (
        "Bo",
        "TRK-2",
        "#2",
        "RMA-CHANGED-1",
    )
    assert [(x["product_id"], x["quantity"], x["action_type"]) for x in body["inventory"]] == [
        (cap["id"], 3, "Override")
    ]
    assert api.client.get(f"{V1}/returns/{order['id']}", headers=merchant.headers).json() == body


def test_patch_with_only_some_fields_leaves_the_rest(api: Api) -> None:
    merchant, fc, _ = api.setup()
    order = api.return_order(merchant, fc["id"], customer_name="Ann", tracking_number="T-1")
    body = api.client.patch(f"{V1}/returns/{order['id']}", json={"tracking_number": None}, headers=merchant.headers)
    assert body.json()["customer_name"] == "Ann" and body.json()["tracking_number"] is None
    assert body.json()["inventory"] == order["inventory"]


@pytest.mark.parametrize(
    ("changes", "status", "code", "field"),
    [
        ({"reference_id": "short"}, 422, "validation_error", "reference_id"),
        ({"reference_id": None}, 422, "validation_error", "reference_id"),
        ({"inventory": []}, 422, "validation_error", "inventory"),
        ({"inventory": [{"sku": "NOPE", "quantity": 1}]}, 422, "unknown_product", "inventory[0]"),
        ({"fulfillment_center_id": "fc_elsewhere"}, 422, "validation_error", "fulfillment_center_id"),
        ({"customer_name": 5}, 422, "validation_error", "customer_name"),
    ],
)
def test_invalid_patches_are_refused_and_change_nothing(
    api: Api, changes: dict[str, Any], status: int, code: str, field: str
) -> None:
    merchant, fc, _ = api.setup()
    order = api.return_order(merchant, fc["id"])
    response = api.client.patch(f"{V1}/returns/{order['id']}", json=changes, headers=merchant.headers)
    assert_error(response, status, code, field)
    assert api.client.get(f"{V1}/returns/{order['id']}", headers=merchant.headers).json() == order


def test_patching_onto_a_live_reference_id_is_409(api: Api) -> None:
    merchant, fc, _ = api.setup()
    api.return_order(merchant, fc["id"], reference_id="RMA-TAKEN-1")
    order = api.return_order(merchant, fc["id"])
    response = api.client.patch(
        f"{V1}/returns/{order['id']}", json={"reference_id": "RMA-TAKEN-1"}, headers=merchant.headers
    )
    assert_error(response, 409, "duplicate_reference_id")
    same = api.client.patch(
        f"{V1}/returns/{order['id']}", json={"reference_id": order["reference_id"]}, headers=merchant.headers
    )
    assert same.status_code == 200


@pytest.mark.parametrize(
    "events", [("cancel",), ("receive",), ("receive", "start_processing"), ("receive", "start_processing", "complete")]
)
def test_a_return_past_awaiting_arrival_is_not_editable(
    api: Api, session_factory: sessionmaker[Session], events: tuple[str, ...]
) -> None:
    merchant, fc, _ = api.setup()
    order = api.return_order(merchant, fc["id"])
    advance(session_factory, order["id"], *events)
    response = api.client.patch(f"{V1}/returns/{order['id']}", json={"customer_name": "Late"}, headers=merchant.headers)
    assert_error(response, 409, "return_not_editable")


def test_cancel_moves_to_cancelled_and_records_history(api: Api, clock: FrozenClock) -> None:
    merchant, fc, _ = api.setup()
    order = api.return_order(merchant, fc["id"])
    clock.advance(hours=2)
    response = api.client.post(f"{V1}/returns/{order['id']}/cancel", headers=merchant.headers)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "Cancelled" and body["cancelled_date"] > body["insert_date"]
    assert response.headers["etag"] == f'"{body["version"]}"'
    assert [h["status"] for h in body["status_history"]] == ["AwaitingArrival", "Cancelled"]
    assert_error(
        api.client.post(f"{V1}/returns/{order['id']}/cancel", headers=merchant.headers), 409, "invalid_transition"
    )


@pytest.mark.parametrize(
    "events", [("receive",), ("receive", "start_processing"), ("receive", "start_processing", "complete")]
)
def test_only_a_return_awaiting_arrival_can_be_cancelled(
    api: Api, session_factory: sessionmaker[Session], events: tuple[str, ...]
) -> None:
    merchant, fc, _ = api.setup()
    order = api.return_order(merchant, fc["id"])
    advance(session_factory, order["id"], *events)
    response = api.client.post(f"{V1}/returns/{order['id']}/cancel", headers=merchant.headers)
    assert_error(response, 409, "invalid_transition")


def test_status_history_lists_every_transition_for_merchant_and_operator(
    api: Api, session_factory: sessionmaker[Session]
) -> None:
    merchant, fc, operator = api.setup()
    order = api.return_order(merchant, fc["id"])
    advance(session_factory, order["id"], "receive", "start_processing", "complete")
    for headers in (merchant.headers, operator.headers):
        response = api.client.get(f"{V1}/returns/{order['id']}/status-history", headers=headers)
        assert response.status_code == 200
        body = response.json()
        assert body["next_cursor"] is None
        assert [h["status"] for h in body["items"]] == ["AwaitingArrival", "Arrived", "Processing", "Completed"]
        assert body["items"][0]["actor"] == f"merchant:{merchant.id}"
        assert body["items"][1]["actor"] == "operator:op_test"
        stamps = [h["timestamp"] for h in body["items"]]
        assert stamps == sorted(stamps)


def test_unknown_return_is_404_on_every_verb(api: Api) -> None:
    merchant = api.merchant()
    for method, path in (
        ("get", "/returns/ret_nope"),
        ("patch", "/returns/ret_nope"),
        ("post", "/returns/ret_nope/cancel"),
        ("get", "/returns/ret_nope/status-history"),
    ):
        response = api.client.request(method, V1 + path, json={}, headers=merchant.headers)
        assert_error(response, 404, "return_not_found")


def test_if_match_guards_patch_and_cancel(api: Api) -> None:
    merchant, fc, _ = api.setup()
    order = api.return_order(merchant, fc["id"])
    url = f"{V1}/returns/{order['id']}"
    etag = api.client.get(url, headers=merchant.headers).headers["etag"]
    stale = {**merchant.headers, "If-Match": '"999"'}
    assert_error(api.client.patch(url, json={"customer_name": "x"}, headers=stale), 412, "precondition_failed")
    assert_error(api.client.post(f"{url}/cancel", headers=stale), 412, "precondition_failed")
    fresh = api.client.patch(url, json={"customer_name": "x"}, headers={**merchant.headers, "If-Match": etag})
    assert fresh.status_code == 200
    assert fresh.headers["etag"] != etag
    assert_error(
        api.client.patch(url, json={"customer_name": "y"}, headers={**merchant.headers, "If-Match": etag}),
        412,
        "precondition_failed",
    )
    new_etag = fresh.headers["etag"]
    for form in ("W/{}", '"0", {}', "*"):
        header = form.format(new_etag)
        response = api.client.patch(url, json={"customer_name": "z"}, headers={**merchant.headers, "If-Match": header})
        assert response.status_code == 200, header
        new_etag = response.headers["etag"]
    cancel = api.client.post(f"{url}/cancel", headers={**merchant.headers, "If-Match": new_etag})
    assert cancel.status_code == 200


def _list(api: Api, headers: dict[str, str], **params: Any) -> list[str]:
    response = api.client.get(f"{V1}/returns", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return [r["reference_id"] for r in response.json()["items"]]


def build_catalogue(api: Api, clock: FrozenClock, session_factory: sessionmaker[Session]) -> dict[str, Any]:
    """Four returns of one merchant over three days at two FCs, plus another merchant's return."""
    merchant, fc, _ = api.setup()
    fc2 = api.fulfillment_center("CA")
    mug = api.product(merchant, sku="MUG-BLUE", name="Blue Enamel Mug")
    hat = api.product(merchant, sku="HAT-1", name="Sun Hat")
    clock.now = clock.now.replace(year=2026, month=3, day=1, hour=23, minute=59)
    a = api.return_order(
        merchant, fc["id"], [mug], reference_id="RMA-AAAA-1", customer_name="Ann Lee", tracking_number="1ZAAA"
    )
    clock.advance(minutes=2)
    sent = shipment(api, merchant, fc["id"], [hat])
    b = api.return_order(
        merchant, fc["id"], [hat], reference_id="RMA-BBBB-2", store_order_id="SO-777", original_shipment_id=sent["id"]
    )
    clock.advance(days=1)
    c = api.return_order(merchant, fc2["id"], [mug, hat], reference_id="RMA-CCCC-3", customer_name="Carl Øster")
    d = api.return_order(merchant, fc2["id"], [hat], reference_id="RMA-DDDD-4", tracking_number="9400TRK")
    advance(session_factory, b["id"], "receive")
    advance(session_factory, c["id"], "cancel")
    other = api.merchant()
    api.return_order(other, fc["id"], [api.product(other, sku="MUG-BLUE")], reference_id="RMA-AAAA-9")
    return {"merchant": merchant, "fc": fc, "fc2": fc2, "returns": (a, b, c, d), "shipment_id": sent["id"]}


# stand for the id of RMA-BBBB-2's shipment (as given, and upper-cased), known once the catalogue is built
SHIPMENT_B, SHIPMENT_B_UPPER = "<shipment of RMA-BBBB-2>", "<SHIPMENT OF RMA-BBBB-2>"
ALL = ["RMA-DDDD-4", "RMA-CCCC-3", "RMA-BBBB-2", "RMA-AAAA-1"]
FILTER_CASES: list[tuple[dict[str, Any], list[str]]] = [
    ({}, ALL),
    ({"status": "AwaitingArrival"}, ["RMA-DDDD-4", "RMA-AAAA-1"]),
    ({"status": ["Arrived", "Cancelled"]}, ["RMA-CCCC-3", "RMA-BBBB-2"]),
    ({"status": "Completed"}, []),
    ({"return_type": "Regular"}, ALL),
    ({"return_type": "ReturnToSender"}, []),
    ({"reference_id": "RMA-BBBB-2"}, ["RMA-BBBB-2"]),
    ({"reference_id": "rma-bbbb-2"}, []),
    ({"tracking_number": "1ZAAA"}, ["RMA-AAAA-1"]),
    ({"original_shipment_id": SHIPMENT_B}, ["RMA-BBBB-2"]),
    ({"store_order_id": "SO-777"}, ["RMA-BBBB-2"]),
    ({"sku": "MUG-BLUE"}, ["RMA-CCCC-3", "RMA-AAAA-1"]),
    ({"sku": "HAT-1", "status": "AwaitingArrival"}, ["RMA-DDDD-4"]),
    ({"start_date": "2026-03-02"}, ["RMA-DDDD-4", "RMA-CCCC-3", "RMA-BBBB-2"]),
    ({"end_date": "2026-03-01"}, ["RMA-AAAA-1"]),
    ({"start_date": "2026-03-01", "end_date": "2026-03-01"}, ["RMA-AAAA-1"]),
    ({"start_date": "2026-03-03", "end_date": "2026-03-03"}, ["RMA-DDDD-4", "RMA-CCCC-3"]),
    ({"start_date": "2026-03-04"}, []),
    ({"end_date": "9999-12-31"}, ALL),
    ({"start_date": "0001-01-01"}, ALL),
    ({"q": "bbbb"}, ["RMA-BBBB-2"]),
    ({"q": "1zaa"}, ["RMA-AAAA-1"]),
    ({"q": "400trk"}, ["RMA-DDDD-4"]),
    ({"q": "mug-bl"}, ["RMA-CCCC-3", "RMA-AAAA-1"]),
    ({"q": "enamel"}, ["RMA-CCCC-3", "RMA-AAAA-1"]),
    ({"q": "ANN LEE"}, ["RMA-AAAA-1"]),
    ({"q": "Øster"}, ["RMA-CCCC-3"]),
    ({"q": "so-777"}, ["RMA-BBBB-2"]),
    ({"q": SHIPMENT_B_UPPER}, ["RMA-BBBB-2"]),
    ({"q": "_"}, ["RMA-BBBB-2"]),
    ({"q": "%"}, []),
    ({"q": "nothing-like-this"}, []),
]


def test_every_return_filter_newest_first_own_returns_only(
    api: Api, clock: FrozenClock, session_factory: sessionmaker[Session]
) -> None:
    catalogue = build_catalogue(api, clock, session_factory)
    headers = catalogue["merchant"].headers
    swap = {SHIPMENT_B: catalogue["shipment_id"], SHIPMENT_B_UPPER: catalogue["shipment_id"].upper()}
    for params, expected in FILTER_CASES:
        params = {k: swap.get(v, v) if isinstance(v, str) else v for k, v in params.items()}
        assert _list(api, headers, **params) == expected, params
    assert _list(api, headers, fulfillment_center_id=catalogue["fc2"]["id"]) == ["RMA-DDDD-4", "RMA-CCCC-3"]
    assert _list(api, headers, fulfillment_center_id="fc_unknown") == []


def test_operators_see_returns_at_their_fulfillment_centers_only(
    api: Api, clock: FrozenClock, session_factory: sessionmaker[Session]
) -> None:
    catalogue = build_catalogue(api, clock, session_factory)
    fc2_operator = api.operator(catalogue["fc2"]["id"])
    assert _list(api, fc2_operator.headers) == ["RMA-DDDD-4", "RMA-CCCC-3"]
    both = api.operator(catalogue["fc"]["id"], catalogue["fc2"]["id"])
    assert len(_list(api, both.headers)) == 5
    assert _list(api, both.headers, q="aaaa") == ["RMA-AAAA-9", "RMA-AAAA-1"]
    assert _list(api, fc2_operator.headers, fulfillment_center_id=catalogue["fc"]["id"]) == []
    a = catalogue["returns"][0]
    response = api.client.get(f"{V1}/returns/{a['id']}", headers=fc2_operator.headers)
    assert_error(response, 404, "return_not_found")
    response = api.client.get(f"{V1}/returns/{a['id']}/status-history", headers=fc2_operator.headers)
    assert_error(response, 404, "return_not_found")


@pytest.mark.parametrize(
    "params",
    [
        {"status": "Lost"},
        {"return_type": "Gift"},
        {"start_date": "2026-02-30"},
        {"end_date": "yesterday"},
        {"action": "Keep"},
        {"limit": 0},
        {"limit": 201},
        {"limit": "ten"},
        {"cursor": "not-a-cursor"},
        {"q": "x" * 201},
    ],
)
def test_bad_list_parameters_are_422_with_details(api: Api, params: dict[str, Any]) -> None:
    merchant = api.merchant()
    response = api.client.get(f"{V1}/returns", params=params, headers=merchant.headers)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["details"]


def test_merchant_list_by_action_taken(api: Api, session_factory: sessionmaker[Session]) -> None:
    merchant, fc, _ = api.setup()
    done = api.return_order(merchant, fc["id"], reference_id="RMA-DONE-01")
    api.return_order(merchant, fc["id"], reference_id="RMA-OPEN-01")
    advance(session_factory, done["id"], "receive", "start_processing", "complete")
    assert _list(api, merchant.headers, action="Restock") == ["RMA-DONE-01"]
    assert _list(api, merchant.headers, action="Dispose") == []
