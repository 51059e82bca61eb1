"""One return per package: a tracking number belongs to at most one live return of a merchant."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from boomerang.adapters.tables.core import return_orders
from boomerang.bootstrap import make_uow_factory
from boomerang.domain.errors import Conflict
from boomerang.domain.ids import new_id
from boomerang.domain.returns import Channel, LineSpec, ReturnOrder, ReturnType
from boomerang.services.auth import SYSTEM
from tests.api.dock import arrived, scan, shipment
from tests.support.builders import Api, FrozenClock, Merchant, post_at_once, unique

V1 = "/api/v1"
ORIGIN = {"name": "Jane Doe", "line1": "12 Elm St", "city": "Austin", "postal_code": "73301", "country": "US"}


def _create(api: Api, merchant: Merchant, fc_id: str, product: dict[str, Any], tracking_number: str) -> Any:
    body = {
        "reference_id": unique("RMA-TRK"),
        "fulfillment_center_id": fc_id,
        "inventory": [{"product_id": product["id"], "quantity": 1}],
        "tracking_number": tracking_number,
    }
    return api.client.post(f"{V1}/returns", json=body, headers=merchant.headers)


def _assert_duplicate(response: Any) -> None:
    assert response.status_code == 409, response.text
    error = response.json()["error"]
    assert error["code"] == "duplicate_tracking_number" and error["message"]


def _count(api: Api, merchant: Merchant, tracking_number: str) -> int:
    listed = api.client.get(f"{V1}/returns", params={"tracking_number": tracking_number}, headers=merchant.headers)
    return len(listed.json()["items"])


def test_a_second_live_return_with_the_same_tracking_number_is_409(api: Api) -> None:
    merchant, fc, _ = api.setup()
    product = api.product(merchant)
    assert _create(api, merchant, fc["id"], product, "1ZPKG0001").status_code == 201
    _assert_duplicate(_create(api, merchant, fc["id"], product, "1ZPKG0001"))
    other_fc = api.fulfillment_center()
    _assert_duplicate(_create(api, merchant, other_fc["id"], product, "1ZPKG0001"))  # per merchant, not per FC
    assert _count(api, merchant, "1ZPKG0001") == 1


def test_a_cancelled_return_frees_its_tracking_number(api: Api) -> None:
    merchant, fc, _ = api.setup()
    product = api.product(merchant)
    first = _create(api, merchant, fc["id"], product, "1ZPKG0002").json()
    assert api.client.post(f"{V1}/returns/{first['id']}/cancel", headers=merchant.headers).status_code == 200
    assert _create(api, merchant, fc["id"], product, "1ZPKG0002").status_code == 201


def test_a_return_past_arrival_keeps_its_tracking_number(api: Api) -> None:
    merchant, fc, operator = api.setup()
    product = api.product(merchant)
    arrived(api, operator, api.return_order(merchant, fc["id"], [product], tracking_number="1ZPKG0003"))
    _assert_duplicate(_create(api, merchant, fc["id"], product, "1ZPKG0003"))


def test_another_merchant_may_use_the_same_tracking_number(api: Api) -> None:
    fc = api.fulfillment_center()
    first, second = api.merchant(), api.merchant()
    assert _create(api, first, fc["id"], api.product(first), "1ZSHARED0002").status_code == 201
    assert _create(api, second, fc["id"], api.product(second), "1ZSHARED0002").status_code == 201


def test_editing_to_a_used_tracking_number_is_409_and_changes_nothing(api: Api) -> None:
    merchant, fc, _ = api.setup()
    product = api.product(merchant)
    _create(api, merchant, fc["id"], product, "1ZPKG0004")
    other = _create(api, merchant, fc["id"], product, "1ZPKG0005").json()
    url = f"{V1}/returns/{other['id']}"
    _assert_duplicate(api.client.patch(url, json={"tracking_number": "1ZPKG0004"}, headers=merchant.headers))
    assert api.client.get(url, headers=merchant.headers).json()["tracking_number"] == "1ZPKG0005"
    own_number = {"tracking_number": "1ZPKG0005", "customer_name": "Ann"}
    same = api.client.patch(url, json=own_number, headers=merchant.headers)
    assert same.status_code == 200, same.text  # its own number is no conflict


def test_a_label_tracking_number_identifies_the_package_too(api: Api) -> None:
    merchant, fc, _ = api.setup()
    product = api.product(merchant)
    labelled = api.return_order(merchant, fc["id"], [product])
    body = {"type": "Prepaid", "carrier": "UPS", "tracking_number": "1ZLABEL0001", "origin_address": ORIGIN}
    response = api.client.post(f"{V1}/returns/{labelled['id']}/label", json=body, headers=merchant.headers)
    assert response.status_code == 201, response.text
    _assert_duplicate(_create(api, merchant, fc["id"], product, "1ZLABEL0001"))
    plain = _create(api, merchant, fc["id"], product, "1ZPKG0006").json()
    body = {**body, "tracking_number": "1ZPKG0006"}
    _assert_duplicate(api.client.post(f"{V1}/returns/{labelled['id']}/label", json=body, headers=merchant.headers))
    own = {**body, "tracking_number": "1ZPKG0006"}
    response = api.client.post(f"{V1}/returns/{plain['id']}/label", json=own, headers=merchant.headers)
    assert response.status_code == 201, response.text  # a return's label may carry its own tracking number


@pytest.mark.several_connections
def test_two_concurrent_creates_with_one_tracking_number_give_one_201_and_one_409(api: Api, app: FastAPI) -> None:
    merchant, fc, _ = api.setup()
    product = api.product(merchant)
    for round_ in range(3):
        body = {
            "reference_id": unique("RMA-RACE"),
            "fulfillment_center_id": fc["id"],
            "inventory": [{"product_id": product["id"], "quantity": 1}],
            "tracking_number": f"1ZRACE{round_}",
        }
        bodies = [body, {**body, "reference_id": unique("RMA-RACE")}]
        results = post_at_once(app, f"{V1}/returns", headers=merchant.headers, bodies=bodies)
        assert sorted(r.status_code for r in results) == [201, 409], [r.text for r in results]
        _assert_duplicate(next(r for r in results if r.status_code == 409))
        assert _count(api, merchant, f"1ZRACE{round_}") == 1


def test_the_dock_never_refuses_a_package_for_a_number_used_at_another_fc(api: Api, engine: Engine) -> None:
    merchant, fc, operator = api.setup()
    product = api.product(merchant)
    sent = shipment(api, merchant, fc["id"], [product], tracking_number="1ZOUTBOUND01")
    elsewhere = api.return_order(merchant, api.fulfillment_center()["id"], [product], tracking_number="1ZOUTBOUND01")
    response = scan(api, operator, fc["id"], "1ZOUTBOUND01")
    assert response.status_code == 201, response.text
    created = response.json()["return"]
    assert response.json()["outcome"] == "regular_created"
    assert (created["original_shipment_id"], created["tracking_number"]) == (sent["id"], None)
    with engine.connect() as conn:
        live = conn.execute(
            select(return_orders.c.id).where(
                return_orders.c.tracking_number == "1ZOUTBOUND01", return_orders.c.status != "Cancelled"
            )
        ).all()
    assert [row.id for row in live] == [elsewhere["id"]]
    assert scan(api, operator, fc["id"], "1ZOUTBOUND01").json()["error"]["code"] == "already_arrived"


def test_the_database_refuses_what_slips_past_the_check(
    api: Api, session_factory: sessionmaker[Session], clock: FrozenClock
) -> None:
    merchant, fc, _ = api.setup()
    product = api.product(merchant)
    _create(api, merchant, fc["id"], product, "1ZBACKSTOP1")
    spec = LineSpec(product["id"], product["sku"], product["name"], 1)
    with make_uow_factory(session_factory, clock=clock)(SYSTEM) as uow:
        twin = ReturnOrder.create(
            id=new_id("ret"),
            merchant_id=merchant.id,
            fulfillment_center_id=fc["id"],
            reference_id=unique("RMA-TWIN"),
            return_type=ReturnType.Regular,
            channel=Channel.API,
            lines=[spec],
            line_ids=[new_id("rl")],
            actor="test",
            now=uow.now,
            tracking_number="1ZBACKSTOP1",
        )
        uow.returns.add(twin)  # as a racing request would, past the service's check
        with pytest.raises(Conflict) as raised:
            uow.commit()
    assert raised.value.code == "duplicate_tracking_number"
    assert _count(api, merchant, "1ZBACKSTOP1") == 1
