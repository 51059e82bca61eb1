"""The OpenAPI document states the returns rules: the fields, codes and limitations of API.md."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.test_products import INSPECTION_LIMITATIONS


@pytest.fixture
def spec(client: TestClient) -> dict[str, Any]:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return dict(response.json())


def _schema(spec: dict[str, Any], name: str) -> dict[str, Any]:
    return dict(spec["components"]["schemas"][name])


def _enum(spec: dict[str, Any], prop: dict[str, Any]) -> list[str]:
    return list(_schema(spec, prop["$ref"].rsplit("/", 1)[1])["enum"])


def _operation(spec: dict[str, Any], method: str, path: str) -> str:
    operation = spec["paths"][f"/api/v1{path}"][method]
    return f"{operation.get('summary', '')} {operation.get('description', '')}"


def test_inspection_steps_state_what_the_warehouse_cannot_do(spec: dict[str, Any]) -> None:
    for name in ("ReturnPreferencesIn", "ReturnPreferencesRead", "ReturnPreferencesDetail"):
        description = _schema(spec, name)["properties"]["inspection_steps"]["description"].lower()
        assert all(limit.lower() in description for limit in INSPECTION_LIMITATIONS), name
    assert "inspection_limitations" in _schema(spec, "ReturnPreferencesDetail")["required"]
    for method in ("get", "put"):
        response = spec["paths"]["/api/v1/products/{product_id}/return-preferences"][method]["responses"]["200"]
        ref = response["content"]["application/json"]["schema"]["$ref"]
        assert ref.endswith("/ReturnPreferencesDetail")


def test_return_lines_carry_the_expected_action_and_returns_their_warnings(spec: dict[str, Any]) -> None:
    line = _schema(spec, "ReturnLineRead")
    assert {"expected_action", "expected_reason"} <= set(line["required"])
    assert _enum(spec, line["properties"]["expected_action"]) == ["Restock", "Quarantine", "Dispose"]
    assert "IneligibleCategory" in _enum(spec, line["properties"]["expected_reason"])
    assert "warnings" in _schema(spec, "ReturnRead")["required"]
    warning = _schema(spec, "ReturnWarningRead")
    assert set(warning["required"]) == {"code", "message", "line_id"}
    assert _enum(spec, warning["properties"]["code"]) == [
        "ineligible_category",
        "restock_not_advised",
        "dangerous_goods_prepaid_only",
        "preferences_not_configured",
    ]


def test_the_new_error_codes_are_documented_where_they_happen(spec: dict[str, Any]) -> None:
    codes = {"duplicate_tracking_number", "unknown_shipment"}
    assert codes <= _words(_operation(spec, "post", "/returns"))
    assert codes <= _words(_operation(spec, "patch", "/returns/{return_id}"))
    assert "dangerous_goods_requires_prepaid" in _words(_operation(spec, "post", "/returns/{return_id}/label"))
    rates = _operation(spec, "get", "/returns/rates")
    assert "dangerous_goods_requires_prepaid" in _words(rates) and "HazardousMaterials" in rates
    params = {p["name"] for p in spec["paths"]["/api/v1/returns/rates"]["get"]["parameters"]}
    assert "return_id" in params


def _words(text: str) -> set[str]:
    return {w.strip("`.,;:()") for w in text.split()}
