"""Page tests with TestClient: a signed-in merchant user, its CSRF token, and helpers to read pages."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.support.builders import Api, Merchant, unique

PASSWORD = "correct-horse-battery"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Browser:
    """A TestClient with cookies: it signs in like a person with a browser would."""

    client: TestClient
    email: str

    def csrf(self, path: str) -> str:
        match = CSRF.search(self.client.get(path).text)
        assert match, f"no CSRF token on {path}"
        return match.group(1)

    def sign_in(self, password: str = PASSWORD, next_path: str = "") -> Any:
        token = self.csrf("/login")
        return self.client.post(
            "/login",
            data={"email": self.email, "password": password, "csrf_token": token, "next": next_path},
            follow_redirects=False,
        )

    def post(self, path: str, data: dict[str, Any], page: str | None = None, **kwargs: Any) -> Any:
        token = self.csrf(page or path)
        return self.client.post(path, data={**data, "csrf_token": token}, follow_redirects=False, **kwargs)


def make_user(api: Api, role: str = "Merchant", **fields: Any) -> str:
    email = f"{unique('user').lower()}@example.com"
    body = {"email": email, "password": PASSWORD, "role": role, **fields}
    response = api.client.post("/api/v1/admin/users", json=body, headers=api.admin)
    assert response.status_code == 201, response.text
    return email


@pytest.fixture
def merchant(api: Api) -> Merchant:
    return api.merchant()


@pytest.fixture
def browser(api: Api, merchant: Merchant) -> Browser:
    return Browser(api.client, make_user(api, merchant_id=merchant.id))


@pytest.fixture
def signed_in(browser: Browser) -> Browser:
    response = browser.sign_in()
    assert response.status_code == 303, response.text
    return browser
