"""Request limits found from the application itself: every list caps `limit`, every text field of
every request body has a maximum length; going over is a 422 with the envelope, never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI

from boomerang.config import Settings
from boomerang.entrypoints.http.app import create_app
from tests.support.builders import Api

SPEC = create_app(Settings(database_url="sqlite:///:memory:")).openapi()


def list_routes() -> list[str]:
    return sorted(
        path
        for path, operations in SPEC["paths"].items()
        if "get" in operations and any(p["name"] == "limit" for p in operations["get"].get("parameters", []))
    )


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"].rsplit("/", 1)[-1]] if "$ref" in node else []
        return own + [r for value in node.values() for r in _refs(value)]
    if isinstance(node, list):
        return [r for value in node for r in _refs(value)]
    return []


def request_body_schemas() -> set[str]:
    names = {
        r
        for ops in SPEC["paths"].values()
        for op in ops.values()
        if "requestBody" in op
        for r in _refs(op["requestBody"])
    }
    todo = list(names)
    while todo:
        for ref in _refs(SPEC["components"]["schemas"].get(todo.pop(), {})):
            if ref not in names:
                names.add(ref)
                todo.append(ref)
    return names


def unbounded_strings(schema: dict[str, Any], where: str) -> list[str]:
    found = []
    bounded = ("maxLength", "enum", "const", "pattern")
    parsed = schema.get("format") in ("date", "date-time") or "contentMediaType" in schema  # a value, or a file
    if schema.get("type") == "string" and not any(b in schema for b in bounded) and not parsed:
        found.append(where)
    for name, sub in schema.get("properties", {}).items():
        found += unbounded_strings(sub, f"{where}.{name}")
    if isinstance(schema.get("items"), dict):
        found += unbounded_strings(schema["items"], f"{where}[]")
    for sub in schema.get("anyOf", []) + schema.get("oneOf", []) + schema.get("allOf", []):
        found += unbounded_strings(sub, where)
    return found


def test_every_text_field_of_every_request_body_has_a_maximum_length() -> None:
    schemas = SPEC["components"]["schemas"]
    names = request_body_schemas()
    assert len(names) > 20
    unbounded = [w for name in sorted(names) if name in schemas for w in unbounded_strings(schemas[name], name)]
    assert unbounded == []


def test_the_list_routes_are_found() -> None:
    assert len(list_routes()) >= 10


def credentials(api: Api) -> list[dict[str, str]]:
    merchant, _fc, operator = api.setup()
    return [merchant.headers, operator.headers, api.admin, api.integration_token()]


@pytest.mark.parametrize("limit", ["201", "0", "-1", "1" + "0" * 30, "ten"])
def test_every_list_refuses_a_limit_out_of_range_with_422(app: FastAPI, api: Api, limit: str) -> None:
    who = credentials(api)
    answered = {}
    for path in list_routes():
        concrete = path.replace("{merchant_id}", "mch_x")
        for headers in who:
            response = api.client.get(concrete, params={"limit": limit}, headers=headers)
            if response.status_code not in (401, 403):
                break
        answered[path] = (response.status_code, response.json().get("error", {}).get("code"))
    assert answered == dict.fromkeys(answered, (422, "validation_error"))


def test_an_overlong_merchant_id_of_a_new_user_is_422(api: Api) -> None:
    body = {"email": "a@example.com", "password": "pw", "role": "Merchant", "merchant_id": "m" * 10_000}
    response = api.client.post("/api/v1/admin/users", json=body, headers=api.admin)
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "merchant_id"


def test_a_text_field_over_its_length_is_422_and_nothing_is_created(api: Api) -> None:
    merchant = api.merchant()
    response = api.client.post(
        "/api/v1/products", json={"sku": "LONG-1", "name": "x" * 100_000}, headers=merchant.headers
    )
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "name"
    assert api.client.get("/api/v1/products", headers=merchant.headers).json()["items"] == []
