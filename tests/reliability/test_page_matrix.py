"""The access matrix of the web pages (dashboard and station), generated from their route table.

For every page route: not signed in → 303 to /login (a form POST without a session is refused, 403);
signed in as the other kind of user → 303 to that user's own area; every route that takes an id, used
by another merchant or an operator of another FC with a real id of the first tenant → 404. The
database is unchanged by every one of those answers. A page route the tables below do not know fails.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from boomerang.adapters.tables.core import credentials, products
from boomerang.entrypoints.web.app import PAGE_ROUTERS
from tests.api.dock import image_bytes
from tests.reliability.test_route_matrix import build_world, snapshot
from tests.support.builders import Api, FrozenClock
from tests.web.conftest import Browser, make_user

PUBLIC = {"GET /login", "POST /login", "POST /logout"}
# Path parameters that are not another tenant's resource (a chart name, a month, an integration).
NOT_TENANT_IDS = {"chart", "period", "provider"}
# The world's id for each page's path parameter.
ID_OF = {
    "return_id": "return_id",
    "product_id": "product_id",
    "photo_id": "photo_id",
    "package_id": "package_id",
    "work_order_id": "work_order_id",
    "subscription_id": "webhook_id",
    "line_id": "line_id",
    "key_id": "key_id",
}
# Pages that take a file: sent with a real image, so the answer is about the id.
FILE_PAGES = {"POST /station/returns/{return_id}/photos", "POST /station/unidentified/{package_id}/photos"}


@dataclass(frozen=True)
class Page:
    method: str
    path: str
    area: str  # "merchant", "operator" or "public"

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def tenant_params(self) -> list[str]:
        return [p for p in re.findall(r"{(\w+)}", self.path) if p not in NOT_TENANT_IDS]


def _dependency_names(dependant: Any) -> set[str]:
    names = set()
    for dependency in dependant.dependencies:
        names.add(getattr(dependency.call, "__name__", ""))
        names |= _dependency_names(dependency)
    return names


def page_routes() -> list[Page]:
    pages = []
    for router in PAGE_ROUTERS:
        for route in router.routes:
            names = _dependency_names(route.dependant)
            merchant = {"merchant_uow", "merchant_lagging_uow"} & names
            area = "merchant" if merchant else "operator" if "operator_uow" in names else "public"
            pages += [Page(method, route.path, area) for method in sorted(route.methods)]
    return pages


PAGES = page_routes()


def concrete(path: str, ids: dict[str, str]) -> str:
    return re.sub(r"{(\w+)}", lambda m: ids.get(ID_OF.get(m.group(1), ""), "2026-01"), path)


def test_every_page_route_is_in_the_matrix() -> None:
    public = {page.key for page in PAGES if page.area == "public"}
    assert public == PUBLIC, "a page without a merchant or operator session: add it on purpose"
    unknown = {p for page in PAGES for p in page.tenant_params if p not in ID_OF}
    assert unknown == set(), "path parameters the matrix has no real id for"
    assert len(PAGES) >= 55


def test_every_page_without_a_session_goes_to_login_and_changes_nothing(api: Api, engine: Engine) -> None:
    before = snapshot(engine)
    answers = {}
    for page in PAGES:
        if page.area == "public":
            continue
        response = api.client.request(page.method, concrete(page.path, {}), follow_redirects=False)
        location = response.headers.get("location", "")
        answers[page.key] = (
            "login"
            if response.status_code == 303 and location.startswith("/login?next=")
            else ("refused" if page.method == "POST" and response.status_code == 403 else response.status_code)
        )
    print(f"\nRELIABILITY FIGURES page matrix: {len(answers)} pages without a session")
    assert {key: answer for key, answer in answers.items() if answer not in ("login", "refused")} == {}
    assert all(answers[p.key] == "login" for p in PAGES if p.method == "GET" and p.area != "public")
    assert snapshot(engine) == before


def business_data(engine: Engine) -> dict[str, list[Any]]:
    """Everything but the session bookkeeping that signing in and browsing legitimately write."""
    return {name: rows for name, rows in snapshot(engine).items() if name != "web_sessions"}


def signed_in(api: Api, **user: Any) -> Browser:
    browser = Browser(api.client, make_user(api, **user))
    api.client.cookies.clear()
    response = browser.sign_in()
    assert response.status_code == 303, response.text
    return browser


def api_key_of_product_owner(engine: Engine, product_id: str) -> str:
    with engine.connect() as conn:
        merchant_id = conn.execute(select(products.c.merchant_id).where(products.c.id == product_id)).scalar_one()
        return str(
            conn.execute(select(credentials.c.id).where(credentials.c.merchant_id == merchant_id)).scalars().first()
        )


def form_token(browser: Browser, home: str) -> str:
    return browser.csrf(home)


@pytest.mark.parametrize("who", ["merchant", "operator"])
def test_every_page_of_the_other_area_sends_the_user_home_and_changes_nothing(
    api: Api, engine: Engine, who: str
) -> None:
    merchant, fc, _ = api.setup()
    browser = (
        signed_in(api, merchant_id=merchant.id)
        if who == "merchant"
        else signed_in(api, role="Operator", fulfillment_center_ids=[fc["id"]])
    )
    home, other = ("/", "operator") if who == "merchant" else ("/station", "merchant")
    token = form_token(browser, "/settings" if who == "merchant" else "/station/queue")
    before = business_data(engine)
    answers = {}
    for page in (p for p in PAGES if p.area == other):
        data = {"csrf_token": token} if page.method == "POST" else None
        response = api.client.request(page.method, concrete(page.path, {}), data=data, follow_redirects=False)
        answers[page.key] = (response.status_code, response.headers.get("location"))
    print(f"\nRELIABILITY FIGURES page matrix: {len(answers)} {other} pages, signed in as the {who}")
    assert answers == dict.fromkeys(answers, (303, home))
    assert business_data(engine) == before


def test_every_page_with_another_tenants_id_is_404_and_changes_nothing(
    api: Api, engine: Engine, session_factory: sessionmaker[Session], clock: FrozenClock
) -> None:
    world = build_world(api, session_factory, clock)
    ids = {**world.ids, "key_id": api_key_of_product_owner(engine, world.ids["product_id"])}
    other_merchant = api.setup()
    merchant_b = signed_in(api, merchant_id=other_merchant[0].id)
    merchant_token = form_token(merchant_b, "/settings")
    answers: dict[str, int] = {}

    def visit(area: str, token: str) -> None:
        for page in (p for p in PAGES if p.area == area and p.tenant_params):
            path_ids = dict(ids)
            if "line_id" in page.tenant_params:
                path_ids["return_id"] = world.processing_return_id
            data = {"csrf_token": token} if page.method == "POST" else None
            files = {"file": ("p.png", image_bytes(), "image/png")} if page.key in FILE_PAGES else None
            response = api.client.request(page.method, concrete(page.path, path_ids), data=data, files=files)
            answers[f"{page.key} as {area} B"] = response.status_code

    operator_b = Browser(api.client, make_user(api, role="Operator", fulfillment_center_ids=[other_merchant[1]["id"]]))
    before = business_data(engine)
    visit("merchant", merchant_token)
    api.client.cookies.clear()
    assert operator_b.sign_in().status_code == 303
    visit("operator", form_token(operator_b, "/station/queue"))
    print(f"\nRELIABILITY FIGURES page matrix: {len(answers)} page x tenant calls")
    assert len(answers) >= 25
    assert answers == dict.fromkeys(answers, 404)
    assert business_data(engine) == before
