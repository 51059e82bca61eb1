"""Schemathesis against the compat mount with ShipBob's own contract file, as a merchant.

Bounded in `make test`; BOOMERANG_LONG_TESTS=1 runs many more examples. Skipped (with the path it
looked for) when ../shared, which holds the contract, is not next to the repository.
"""

from __future__ import annotations

import json
import os
import zlib
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.compat.shipbob_client import ShipBobClient
from tests.support.builders import Api, unique

CONTRACT = Path(__file__).resolve().parents[2].parent / "shared/contracts/shipbob-returns-2026-01.openapi.json"
LONG = os.environ.get("BOOMERANG_LONG_TESTS") == "1"
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def merchant_world(api: Api, client) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """A merchant with a product and two returns, and the integer ids a ShipBob client would know."""
    merchant, fc, _ = api.setup()
    product = api.product(merchant, return_preferences={"inspection_steps": ["Seal intact"]})
    shipbob = ShipBobClient(client, merchant.api_key)
    channel_id = shipbob.use_channel()
    fc_number, inventory_id = shipbob.location_id(fc["name"]), shipbob.inventory_id(product["sku"])
    returns = []
    for _ in range(2):
        body = {
            "reference_id": unique("SB-SEED-ref"),
            "fulfillment_center": {"id": fc_number},
            "inventory": [{"id": inventory_id, "quantity": 1, "requested_action": "Restock"}],
        }
        returns.append(shipbob.create_return(body).json()["id"])
    return {
        "token": merchant.api_key,
        "channel_id": channel_id,
        "fc": fc_number,
        "inventory": inventory_id,
        "returns": returns,
    }


def _operations() -> list[str]:
    if not CONTRACT.exists():
        return ["contract-missing"]
    contract = json.loads(CONTRACT.read_text())
    return [f"{method.upper()} {path}" for path, item in contract["paths"].items() for method in item]


@pytest.fixture
def shipbob_schema(app):  # type: ignore[no-untyped-def]
    if not CONTRACT.exists():
        pytest.skip(f"the ShipBob contract is not at {CONTRACT} (../shared is absent)")
    schema = schemathesis.openapi.from_path(CONTRACT)
    schema.app = app
    return schema


def _known_ids(case: Any, world: dict[str, Any]) -> None:
    """Point about half of the generated cases at things that exist, so success paths are exercised."""
    seed = zlib.crc32(repr((case.path_parameters, case.query, case.body)).encode())
    if case.path_parameters and "id" in case.path_parameters and seed % 2:
        case.path_parameters["id"] = str(world["returns"][seed % len(world["returns"])])
    body = case.body
    if isinstance(body, dict) and seed % 3 == 0:
        # a valid request that keeps some generated values (tracking number, requested action)
        lines = body.get("inventory")
        action = (
            lines[0].get("requested_action")
            if isinstance(lines, list) and lines and isinstance(lines[0], dict)
            else None
        )
        tracking = body.get("tracking_number")
        case.body = {
            "reference_id": unique("SB-FUZZ-ref"),
            "fulfillment_center": {"id": world["fc"]},
            "inventory": [
                {"id": world["inventory"], "quantity": 1 + seed % 5, "requested_action": action or "Default"}
            ],
            "tracking_number": tracking if isinstance(tracking, str) and len(tracking) <= 100 else None,
        }


@pytest.mark.parametrize("operation", _operations())
def test_compat_mount_conforms_to_the_shipbob_contract(
    operation: str, shipbob_schema: Any, merchant_world: dict[str, Any]
) -> None:
    method, path = operation.split(" ", 1)
    strategy = shipbob_schema[path][method].as_strategy()

    @given(case=strategy)
    @settings(
        max_examples=300 if LONG else 30,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=not LONG,
        database=None,
    )
    def call_and_check(case: Any) -> None:
        _known_ids(case, merchant_world)
        headers = {"Authorization": f"Bearer {merchant_world['token']}"}
        if case.method == "POST" and case.path == "/2026-01/return":
            headers["shipbob_channel_id"] = str(merchant_world["channel_id"])
        response = case.call(base_url="http://testserver/compat/shipbob", headers=headers)
        case.validate_response(response, checks=CHECKS)
        assert response.status_code < 500, response.text

    call_and_check()
