"""HSTS where cookies are Secure (outside development), never on a development server at http://127.0.0.1 (issue 22)."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from boomerang.config import Settings
from tests.web.conftest import Browser

HSTS = "max-age=31536000; includeSubDomains"


def test_outside_development_every_response_carries_hsts(app: FastAPI, settings: Settings, browser: Browser) -> None:
    app.state.settings = settings.model_copy(update={"environment": "production", "secret_key": "s" * 40})
    with TestClient(app, base_url="https://testserver") as https:
        responses = [https.get(path) for path in ("/login", "/healthz", "/api/v1/products", "/no-such-page")]
        responses.append(Browser(https, browser.email).sign_in())
    assert [r.headers.get("strict-transport-security") for r in responses] == [HSTS] * 5
    assert "Secure" in responses[-1].headers["set-cookie"]


def test_in_development_no_response_carries_hsts(browser: Browser) -> None:
    responses = [browser.client.get(path) for path in ("/login", "/healthz", "/api/v1/products")]
    responses.append(browser.sign_in())
    assert [r.headers.get("strict-transport-security") for r in responses] == [None] * 4
    assert "Secure" not in responses[-1].headers["set-cookie"]
