"""The access matrix, generated from the application's route table (API and ShipBob mount).

For every route: no credential or a garbage one → 401; every role the route does not allow → 403;
every route that takes an id, called by another tenant with a real id of the first → 404. Nothing in
the database changes on any of those answers. A route missing from the tables below fails the test.
"""

from __future__ import annotations

import re
import typing
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker
from starlette.routing import Mount

from boomerang.adapters.tables import metadata
from boomerang.config import Settings
from boomerang.domain.tenants import Role
from boomerang.entrypoints.api.routes import ROUTERS
from boomerang.entrypoints.compat.shipbob import lookups as shipbob_lookups
from boomerang.entrypoints.compat.shipbob import router as shipbob_router
from boomerang.entrypoints.compat.shipbob.app import PREFIX as SHIPBOB_PREFIX
from boomerang.entrypoints.http import deps
from boomerang.entrypoints.http.app import create_app
from boomerang.entrypoints.web.app import PAGE_ROUTERS
from boomerang.schemas.urls import API_PREFIX
from tests.api.dock import image_bytes, processing, scan, shipment, upload_photo
from tests.api.stock import put_in_quarantine
from tests.support.builders import Api, FrozenClock, bearer

ROLE_ALIASES = {
    "AdminUoW": {Role.Admin},
    "MerchantUoW": {Role.Merchant},
    "OperatorUoW": {Role.Operator},
    "MerchantOrOperatorUoW": {Role.Merchant, Role.Operator},
    "MerchantOrOperatorReadUoW": {Role.Merchant, Role.Operator},
    "MerchantOrOperatorListUoW": {Role.Merchant, Role.Operator},
    "MerchantExportUoW": {Role.Merchant},
    "AnyUoW": {Role.Admin, Role.Merchant, Role.Operator, Role.Integration},
    "IntegrationUoW": {Role.Integration, Role.Admin},
}
ROLES_BY_DEPENDENCY = {
    typing.get_args(getattr(deps, alias))[1].dependency: roles for alias, roles in ROLE_ALIASES.items()
}

# Authenticated by the portal's HMAC signature over the body, not by a bearer credential.
SIGNED_NOT_BEARER = {
    "POST /api/v1/integrations/aftership/{merchant_id}/webhook",
    "POST /api/v1/integrations/loop/{merchant_id}/webhook",
}
# Path parameters that are not another tenant's resource.
NOT_TENANT_IDS = {"provider", "period"}
# Admin routes act on any merchant by design: there is no "other tenant" for them.
ADMIN_SCOPED = {"merchant_id"}

# A valid body for every route that takes an id and a body (so the answer is about the id, not the body).
BODIES: dict[str, Any] = {
    "PATCH /api/v1/products/{product_id}": {"name": "Renamed by another tenant"},
    "PUT /api/v1/products/{product_id}/return-preferences": {
        "return_action": "Dispose",
        "rts_action": "Dispose",
        "backup_action": "Dispose",
        "inspection_steps": [],
    },
    "POST /api/v1/returns/{return_id}/label": {
        "type": "Prepaid",
        "carrier": "UPS",
        "tracking_number": "1ZFOREIGN",
        "origin_address": {
            "name": "Ana",
            "line1": "1 Main St",
            "city": "Reno",
            "postal_code": "89501",
            "country": "US",
        },
    },
    "PATCH /api/v1/returns/{return_id}": {"customer_name": "Changed by another tenant"},
    "POST /api/v1/warehouse/unidentified/{package_id}/resolve": "return_id",  # filled with B's own return
    "POST /api/v1/returns/{return_id}/photos": "photo",
    "POST /api/v1/warehouse/unidentified/{package_id}/photos": "photo",
    "PUT /api/v1/returns/{return_id}/inventory/{line_id}/inspection": {
        "quantity_received": 1,
        "step_results": [],
        "instructions_unclear": False,
        "photo_ids": [],
    },
}


@dataclass(frozen=True)
class RouteInfo:
    method: str
    path: str
    roles: frozenset[Role] | None  # None: not a bearer-credential route
    has_body: bool

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def params(self) -> list[str]:
        return re.findall(r"{(\w+)}", self.path)


def _roles(route: Any) -> frozenset[Role] | None:
    found = [ROLES_BY_DEPENDENCY[d.call] for d in route.dependant.dependencies if d.call in ROLES_BY_DEPENDENCY]
    return frozenset(found[0]) if found else None


def api_routes() -> list[RouteInfo]:
    routes = []
    for router in ROUTERS:
        for route in router.routes:
            for method in sorted(route.methods):
                routes.append(RouteInfo(method, API_PREFIX + route.path, _roles(route), route.body_field is not None))
    return routes


APP = create_app(Settings(database_url="sqlite:///:memory:"))
ROUTES = api_routes()


def shipbob_routes() -> list[RouteInfo]:
    routes = []
    for router in (shipbob_router.router, shipbob_lookups.router):
        for route in router.routes:
            for method in sorted(route.methods):
                routes.append(RouteInfo(method, SHIPBOB_PREFIX + route.path, _roles(route), False))
    return routes


def shipbob_operations() -> list[tuple[str, str]]:
    mount = next(r for r in APP.routes if isinstance(r, Mount) and r.path == SHIPBOB_PREFIX)
    shipbob: Any = mount.app
    paths = shipbob.openapi()["paths"]
    return [(method.upper(), f"{mount.path}{path}") for path, ops in paths.items() for method in ops]


def test_the_matrix_covers_every_route_of_the_application() -> None:
    openapi = {f"{m.upper()} {p}" for p, ops in APP.openapi()["paths"].items() for m in ops}
    assert {r.key for r in ROUTES} == openapi  # a route added outside ROUTERS would be missed
    unknown = [r.key for r in ROUTES if r.roles is None and r.key not in SIGNED_NOT_BEARER]
    assert unknown == [], "routes whose roles the matrix cannot tell: add them to the tables above"
    needs_body = [r.key for r in ROUTES if r.has_body and tenant_params(r) and r.key not in BODIES]
    assert needs_body == [], "id routes with a body need a valid body in BODIES"
    assert len(ROUTES) >= 59 and len(shipbob_operations()) >= 7
    shipbob = {(r.method, r.path) for r in shipbob_routes()}
    assert shipbob == set(shipbob_operations())
    assert [r.key for r in shipbob_routes() if r.roles is None] == []


# Served outside /api/v1 and the ShipBob mount, with no tenant data: the API's docs, home, health.
OUTSIDE_THE_MATRIX = {"/api/openapi.json", "/api/docs", "/docs/oauth2-redirect", "/", "/healthz", "/readyz"}


# Static files (CSS, JS, the API docs' own assets): the same for everyone, no tenant data.
STATIC_MOUNTS = {"/static", "/api/docs/assets"}


def test_nothing_is_served_that_the_matrix_does_not_know() -> None:
    """A router or mount added to the app fails here until a matrix covers it (pages: test_page_matrix.py)."""
    for entry in APP.routes:
        if isinstance(entry, Mount):
            assert entry.path in {SHIPBOB_PREFIX, *STATIC_MOUNTS}, entry.path
        elif hasattr(entry, "original_router"):  # FastAPI's record of an included router
            included = entry.original_router
            if included in PAGE_ROUTERS:
                continue
            if included.prefix == API_PREFIX:
                assert all(getattr(r, "original_router", None) in ROUTERS for r in included.routes)
            else:
                assert {getattr(r, "path", None) for r in included.routes} <= OUTSIDE_THE_MATRIX, included.routes
        else:
            assert getattr(entry, "path", None) in OUTSIDE_THE_MATRIX, entry


def tenant_params(route: RouteInfo) -> list[str]:
    if route.roles == {Role.Admin} or route.key in SIGNED_NOT_BEARER:
        return []
    return [p for p in route.params if p not in NOT_TENANT_IDS]


def snapshot(engine: Engine) -> dict[str, list[Any]]:
    with engine.connect() as conn:
        return {
            t.name: sorted(map(repr, conn.execute(select(t)).all()))
            for t in metadata.sorted_tables
            if t.name != "idempotency_keys"
        }


def concrete(path: str, ids: dict[str, str]) -> str:
    return re.sub(r"{(\w+)}", lambda m: ids.get(m.group(1), "x"), path)


def call(client: TestClient, route: RouteInfo, path: str, headers: dict[str, str], body: Any = None) -> Any:
    if body == "photo":
        files = {"file": ("p.png", image_bytes(), "image/png")}
        return client.request(route.method, path, files=files, headers=headers)
    if body is None and route.has_body:
        body = {}
    return client.request(route.method, path, json=body, headers=headers)


def error_code(response: Any) -> str:
    """The envelope's code, or for a ShipBob ProblemDetails its title in snake case."""
    body = response.json()
    if "error" in body:
        return str(body["error"]["code"])
    return str(body.get("title", "")).lower().replace(" ", "_")


GARBAGE = {
    "none": {},
    "unknown token": bearer("bmr_live_not-a-real-token"),
    "not bearer": {"Authorization": "Basic dXNlcjpwYXNz"},
    "empty bearer": {"Authorization": "Bearer "},
}


@pytest.mark.parametrize("credential", GARBAGE.values(), ids=GARBAGE.keys())
def test_every_route_without_a_valid_credential_is_401_and_changes_nothing(
    api: Api, engine: Engine, credential: dict[str, str]
) -> None:
    before = snapshot(engine)
    answers = {}
    for route in ROUTES:
        if route.key in SIGNED_NOT_BEARER:
            continue
        response = call(api.client, route, concrete(route.path, {}), credential)
        answers[route.key] = (response.status_code, response.json()["error"]["code"])
    for method, path in shipbob_operations():
        response = api.client.request(method, concrete(path, {"id": "1"}), headers=credential)
        answers[f"{method} {path}"] = (response.status_code, "unauthenticated" if response.status_code == 401 else "")
    print(f"\nRELIABILITY FIGURES 401 matrix: {len(answers)} operations")
    assert answers == dict.fromkeys(answers, (401, "unauthenticated"))
    assert snapshot(engine) == before


def test_every_route_with_a_role_it_does_not_allow_is_403_and_changes_nothing(api: Api, engine: Engine) -> None:
    merchant, _fc, operator = api.setup()
    credentials = {
        Role.Admin: api.admin,
        Role.Merchant: merchant.headers,
        Role.Operator: operator.headers,
        Role.Integration: api.integration_token(),
    }
    before = snapshot(engine)
    answers, tried = {}, 0
    for route in ROUTES + shipbob_routes():
        for role in sorted(set(Role) - (route.roles or set(Role)), key=str):
            response = call(api.client, route, concrete(route.path, {}), credentials[role])
            answers[f"{route.key} as {role}"] = (response.status_code, error_code(response))
            tried += 1
    print(f"\nRELIABILITY FIGURES 403 matrix: {tried} route x role calls (API and ShipBob mount)")
    assert answers == dict.fromkeys(answers, (403, "forbidden"))
    assert tried > 170
    assert snapshot(engine) == before


@dataclass
class World:
    """Real ids of tenant A (one of everything), and tenant B's credentials and own return."""

    ids: dict[str, str]
    processing_return_id: str  # the return whose line `line_id` is (inspections need Processing)
    merchant_b: dict[str, str]
    operator_b: dict[str, str]
    own_return_b: str


def build_world(api: Api, session_factory: sessionmaker[Session], clock: FrozenClock) -> World:
    merchant, fc, operator = api.setup()
    product = api.product(merchant, is_lot_tracked=False)
    waiting = api.return_order(merchant, fc["id"], [product])
    busy = processing(api, operator, api.return_order(merchant, fc["id"], [product]))
    photo = upload_photo(api, operator, busy["id"]).json()
    sent = shipment(api, merchant, fc["id"], [product])
    unknown = scan(api, operator, fc["id"], "NOBODY-KNOWS-THIS").json()
    hook = api.client.post(
        "/api/v1/webhooks",
        json={"url": "https://hooks.example.com/a", "topics": ["return.created"]},
        headers=merchant.headers,
    ).json()
    put_in_quarantine(
        session_factory, clock, merchant_id=merchant.id, product_id=product["id"], fc_id=fc["id"], quantity=2
    )
    order = api.client.post(
        "/api/v1/work-orders",
        json={
            "type": "Disposal",
            "fulfillment_center_id": fc["id"],
            "items": [{"product_id": product["id"], "quantity": 1}],
        },
        headers=merchant.headers,
    ).json()
    merchant_b, fc_b, operator_b = api.setup()
    own = api.return_order(merchant_b, fc_b["id"])
    ids = {
        "product_id": product["id"],
        "return_id": waiting["id"],
        "line_id": busy["inventory"][0]["id"],
        "photo_id": photo["photo_id"],
        "shipment_id": sent["id"],
        "package_id": unknown["unidentified_package_id"],
        "webhook_id": hook["id"],
        "work_order_id": order["id"],
    }
    assert all(ids.values()), ids
    return World(ids, busy["id"], merchant_b.headers, operator_b.headers, own["id"])


def test_every_id_route_called_by_another_tenant_is_404_and_changes_nothing(
    api: Api, engine: Engine, session_factory: sessionmaker[Session], clock: FrozenClock
) -> None:
    world = build_world(api, session_factory, clock)
    before = snapshot(engine)
    answers = {}
    for route in ROUTES:
        params = tenant_params(route)
        if not params:
            continue
        ids = dict(world.ids)
        if "line_id" in params:
            ids["return_id"] = world.processing_return_id
        body = BODIES.get(route.key)
        if body == "return_id":
            body = {"return_id": world.own_return_b}
        who = {"merchant B": world.merchant_b, "operator B": world.operator_b}
        for name, headers in who.items():
            role = Role.Merchant if name == "merchant B" else Role.Operator
            if route.roles and role in route.roles:
                response = call(api.client, route, concrete(route.path, ids), headers, body)
                answers[f"{route.key} as {name}"] = response.status_code
    print(f"\nRELIABILITY FIGURES 404 matrix: {len(answers)} route x tenant calls")
    assert len(answers) >= 25
    assert answers == dict.fromkeys(answers, 404)
    assert snapshot(engine) == before


def test_a_shipbob_return_of_another_merchant_is_404(api: Api, engine: Engine) -> None:
    merchant, fc, _ = api.setup()
    order = api.return_order(merchant, fc["id"])
    other = api.merchant()
    listed = api.client.get("/compat/shipbob/2026-01/return", headers=merchant.headers).json()
    number = next(r["id"] for r in listed["items"] if r["reference_id"] == order["reference_id"])
    before = snapshot(engine)
    assert api.client.get(f"/compat/shipbob/2026-01/return/{number}", headers=other.headers).status_code == 404
    assert api.client.post(f"/compat/shipbob/2026-01/return/{number}:cancel", headers=other.headers).status_code in (
        400,
        404,
    )
    assert snapshot(engine) == before
