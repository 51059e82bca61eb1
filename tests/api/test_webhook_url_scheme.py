"""http:// webhook URLs only in development (issue 22, decided item d): elsewhere the payloads, which carry
customer data, and their signatures travel over TLS only."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy.orm import Session, sessionmaker

from boomerang.bootstrap import make_uow_factory
from boomerang.config import Settings
from tests.errors import assert_error
from tests.support.builders import Api, FrozenClock


@pytest.fixture
def production(app: FastAPI, settings: Settings, session_factory: sessionmaker[Session], clock: FrozenClock) -> None:
    prod = settings.model_copy(update={"environment": "production", "secret_key": "s" * 40})
    app.state.settings = prod
    app.state.uow_factory = make_uow_factory(session_factory, prod, clock)


def subscribe(api: Api, url: str) -> Any:
    merchant = api.merchant()
    response = api.client.post(
        "/api/v1/webhooks", json={"url": url, "topics": ["return.created"]}, headers=merchant.headers
    )
    listed = api.client.get("/api/v1/webhooks", headers=merchant.headers).json()
    assert len(next(v for v in listed.values() if isinstance(v, list))) == (response.status_code == 201)
    return response


@pytest.mark.parametrize("url", ["http://erp.example.com/hooks", "HTTP://erp.example.com/hooks"])
def test_outside_development_an_http_webhook_url_is_refused(api: Api, production: None, url: str) -> None:
    error = assert_error(subscribe(api, url), 422, "unsafe_webhook_url", "url")
    assert "https://" in error["message"]


def test_outside_development_an_https_webhook_url_is_accepted(api: Api, production: None) -> None:
    assert subscribe(api, "https://erp.example.com/hooks").status_code == 201


def test_in_development_an_http_webhook_url_is_accepted(api: Api) -> None:
    assert subscribe(api, "http://erp.example.com/hooks").status_code == 201
