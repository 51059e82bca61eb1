"""One rule, one place (issue 29, item 5): the limits of a return line's quantity, of a return's texts and of a
platform's webhook secret are the domain's, and the API, the pages and the ShipBob mount all keep them (before:
1..100,000 in the API, 1..10,000 in the pages, any Int32 on the ShipBob mount; texts refused by the API's
schema but cut to fit by the pages; the secret's 8..200 written in two clients)."""

from __future__ import annotations

from typing import Any

import pytest

from boomerang.domain.errors import ValidationFailed
from boomerang.domain.integrations import WEBHOOK_SECRET_LENGTH, check_webhook_secret
from boomerang.domain.return_rules import DETAIL_LENGTHS, validate_details
from boomerang.domain.returns import MAX_LINE_QUANTITY, LineSpec, validate_lines
from tests.compat.shipbob_client import ShipBobClient
from tests.support.builders import Api, Merchant, unique
from tests.web.conftest import Browser, make_user

SHORTEST, LONGEST = WEBHOOK_SECRET_LENGTH
NAME_LENGTH = DETAIL_LENGTHS["customer_name"]
TRACKING_LENGTH = DETAIL_LENGTHS["tracking_number"]


@pytest.fixture
def shop(api: Api) -> tuple[Merchant, dict[str, Any], dict[str, Any]]:
    merchant = api.merchant()
    return merchant, api.fulfillment_center(), api.product(merchant)


@pytest.fixture
def signed_in(api: Api, shop: tuple[Merchant, dict[str, Any], dict[str, Any]]) -> Browser:
    browser = Browser(api.client, make_user(api, merchant_id=shop[0].id))
    assert browser.sign_in().status_code == 303
    return browser


def test_the_domain_refuses_a_line_beyond_the_largest_quantity() -> None:
    validate_lines([LineSpec("prd_1", "SKU", "Tent", MAX_LINE_QUANTITY)])
    with pytest.raises(ValidationFailed) as refused:
        validate_lines([LineSpec("prd_1", "SKU", "Tent", MAX_LINE_QUANTITY + 1)])
    assert [d.field for d in refused.value.details] == ["inventory[0].quantity"]


def test_the_domain_refuses_a_secret_too_short_or_too_long() -> None:
    check_webhook_secret("s" * SHORTEST)
    check_webhook_secret("s" * LONGEST)
    for length in (SHORTEST - 1, LONGEST + 1):
        with pytest.raises(ValidationFailed):
            check_webhook_secret("s" * length)


def test_the_api_takes_the_largest_quantity_and_refuses_one_more(api: Api, shop: Any) -> None:
    merchant, fc, product = shop
    openapi = api.client.get("/api/openapi.json").json()
    assert openapi["components"]["schemas"]["ReturnLineIn"]["properties"]["quantity"]["maximum"] == MAX_LINE_QUANTITY
    for quantity, status in ((MAX_LINE_QUANTITY, 201), (MAX_LINE_QUANTITY + 1, 422)):
        body = {"reference_id": unique("RMA-LIMIT"), "fulfillment_center_id": fc["id"]}
        body["inventory"] = [{"sku": product["sku"], "quantity": quantity}]
        created = api.client.post("/api/v1/returns", json=body, headers=merchant.headers)
        assert created.status_code == status, created.text


def test_the_pages_take_the_largest_quantity_and_refuse_one_more(signed_in: Browser, shop: Any) -> None:
    _, fc, product = shop
    assert f'max="{MAX_LINE_QUANTITY}"' in signed_in.client.get("/returns/new").text
    for quantity, status in ((MAX_LINE_QUANTITY, 303), (MAX_LINE_QUANTITY + 1, 422)):
        data = {"fulfillment_center_id": fc["id"], "reference_id": unique("RMA-PAGE"), "sku_0": product["sku"]}
        created = signed_in.post("/returns/new", {**data, "quantity_0": str(quantity), "override_0": "Default"})
        assert created.status_code == status, created.text
    assert f"a whole number from 1 to {MAX_LINE_QUANTITY}" in created.text


def test_the_shipbob_mount_takes_the_largest_quantity_and_refuses_one_more(api: Api, shop: Any) -> None:
    merchant, fc, product = shop
    shipbob = ShipBobClient(api.client, merchant.api_key)
    shipbob.use_channel()
    line = {"id": shipbob.inventory_id(product["sku"]), "requested_action": "Default"}
    for quantity, status in ((MAX_LINE_QUANTITY, 201), (MAX_LINE_QUANTITY + 1, 422)):
        body = {"reference_id": unique("SB-LIMIT"), "fulfillment_center": {"id": shipbob.location_id(fc["name"])}}
        created = shipbob.create_return({**body, "inventory": [{**line, "quantity": quantity}]})
        assert created.status_code == status, created.text
    assert created.json()["details"] == [
        {"field": "inventory[0].quantity", "message": f"quantity must be at most {MAX_LINE_QUANTITY}"}
    ]


@pytest.mark.parametrize("length", [SHORTEST - 1, LONGEST + 1])
def test_the_api_and_the_pages_refuse_the_same_secrets(api: Api, signed_in: Browser, shop: Any, length: int) -> None:
    merchant, fc, _ = shop
    body = {"webhook_secret": "s" * length, "fulfillment_center_id": fc["id"]}
    assert api.client.put("/api/v1/integrations/loop", json=body, headers=merchant.headers).status_code == 422
    page = signed_in.post("/settings/integrations/Loop", body, page="/settings")
    assert page.status_code == 422 and f"{SHORTEST} to {LONGEST} characters" in page.text


def test_the_api_and_the_pages_take_the_longest_secret(api: Api, signed_in: Browser, shop: Any) -> None:
    merchant, fc, _ = shop
    body = {"webhook_secret": "s" * LONGEST, "fulfillment_center_id": fc["id"]}
    assert api.client.put("/api/v1/integrations/loop", json=body, headers=merchant.headers).status_code == 200
    assert signed_in.post("/settings/integrations/Loop", body, page="/settings").status_code == 303


def test_the_domain_refuses_a_detail_longer_than_its_column() -> None:
    validate_details({"customer_name": "n" * NAME_LENGTH, "tracking_number": None})
    with pytest.raises(ValidationFailed) as refused:
        validate_details({"customer_name": "n" * (NAME_LENGTH + 1), "tracking_number": "t" * (TRACKING_LENGTH + 1)})
    assert [d.field for d in refused.value.details] == ["customer_name", "tracking_number"]


def test_the_api_and_the_pages_refuse_a_customer_name_one_longer_than_the_domains(
    api: Api, signed_in: Browser, shop: Any
) -> None:
    merchant, fc, product = shop
    body = {"reference_id": unique("RMA-NAME"), "fulfillment_center_id": fc["id"], "customer_name": "n" * NAME_LENGTH}
    body["inventory"] = [{"sku": product["sku"], "quantity": 1}]
    assert api.client.post("/api/v1/returns", json=body, headers=merchant.headers).status_code == 201
    body = {**body, "reference_id": unique("RMA-NAME"), "customer_name": "n" * (NAME_LENGTH + 1)}
    assert api.client.post("/api/v1/returns", json=body, headers=merchant.headers).status_code == 422
    data = {"fulfillment_center_id": fc["id"], "sku_0": product["sku"], "quantity_0": "1", "override_0": "Default"}
    kept = signed_in.post("/returns/new", {**data, "reference_id": unique("RMA-PAGE"), "customer_name": "n" * 200})
    assert kept.status_code == 303, kept.text
    long_name = {**data, "reference_id": unique("RMA-PAGE"), "customer_name": "n" * (NAME_LENGTH + 1)}
    refused = signed_in.post("/returns/new", long_name)
    assert refused.status_code == 422 and f"customer_name: at most {NAME_LENGTH} characters" in refused.text


def test_the_shipbob_mount_refuses_a_tracking_number_one_longer_than_the_domains(api: Api, shop: Any) -> None:
    merchant, fc, product = shop
    shipbob = ShipBobClient(api.client, merchant.api_key)
    shipbob.use_channel()
    line = {"id": shipbob.inventory_id(product["sku"]), "quantity": 1, "requested_action": "Default"}
    for length, status in ((TRACKING_LENGTH, 201), (TRACKING_LENGTH + 1, 422)):
        body = {"reference_id": unique("SB-TRACK"), "fulfillment_center": {"id": shipbob.location_id(fc["name"])}}
        created = shipbob.create_return({**body, "inventory": [line], "tracking_number": "T" * length})
        assert created.status_code == status, created.text
