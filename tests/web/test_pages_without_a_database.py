"""The database goes away: pages answer the HTML 503 page with Retry-After (nothing changed), while the API
and the ShipBob mount keep their JSON (issue 22, item 7)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from boomerang.adapters.db import make_session_factory
from tests.reliability.test_database_faults import assert_unavailable, unreachable_engine
from tests.support.builders import Api, Merchant
from tests.web.conftest import PASSWORD, Browser, make_user


@contextmanager
def database_down(app: FastAPI, db_kind: str, tmp_path: Path) -> Iterator[None]:
    """The application's database is unreachable inside the block, reachable again afterwards."""
    working, working_uows = app.state.session_factory, app.state.uow_factory
    app.state.session_factory = make_session_factory(unreachable_engine(db_kind, tmp_path))
    app.state.uow_factory = working_uows.with_session_factory(app.state.session_factory)
    try:
        yield
    finally:
        app.state.session_factory, app.state.uow_factory = working, working_uows


def assert_unavailable_page(response: Any) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert "<h1>Service unavailable</h1>" in response.text
    assert int(response.headers["retry-after"]) > 0
    assert "content-security-policy" in response.headers  # still a page like any other


@pytest.fixture
def operator(api: Api) -> Browser:
    fc = api.fulfillment_center()
    browser = Browser(api.client, make_user(api, role="Operator", fulfillment_center_ids=[fc["id"]]))
    assert browser.sign_in().status_code == 303
    return browser


def test_signed_in_pages_are_the_html_503_page_while_the_database_is_down(
    app: FastAPI, signed_in: Browser, db_kind: str, tmp_path: Path
) -> None:
    with database_down(app, db_kind, tmp_path):
        for path in ("/", "/returns", "/login"):
            assert_unavailable_page(signed_in.client.get(path, follow_redirects=False))
    assert signed_in.client.get("/", follow_redirects=False).status_code == 200


def test_the_station_is_the_html_503_page_while_the_database_is_down(
    app: FastAPI, operator: Browser, db_kind: str, tmp_path: Path
) -> None:
    with database_down(app, db_kind, tmp_path):
        assert_unavailable_page(operator.client.get("/station", follow_redirects=False))


def test_signing_in_is_the_html_503_page_while_the_database_is_down(
    app: FastAPI, browser: Browser, db_kind: str, tmp_path: Path
) -> None:
    token = browser.csrf("/login")  # the form itself needs no database
    data = {"email": browser.email, "password": PASSWORD, "csrf_token": token}
    with database_down(app, db_kind, tmp_path):
        assert_unavailable_page(browser.client.post("/login", data=data, follow_redirects=False))
    assert browser.sign_in().status_code == 303


def test_the_api_and_the_shipbob_mount_keep_their_json_while_pages_get_html(
    app: FastAPI, signed_in: Browser, merchant: Merchant, api: Api, db_kind: str, tmp_path: Path
) -> None:
    with database_down(app, db_kind, tmp_path):
        assert_unavailable(api.client.get("/api/v1/products", headers=merchant.headers))
        shipbob = api.client.get("/compat/shipbob/2026-01/return", headers=merchant.headers)
        assert shipbob.status_code == 503 and shipbob.json()["status"] == 503
        assert "json" in shipbob.headers["content-type"]  # ShipBob's ProblemDetails, not a page
        assert_unavailable_page(signed_in.client.get("/products", follow_redirects=False))
