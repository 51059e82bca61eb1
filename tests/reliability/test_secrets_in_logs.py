"""Secrets are never logged: a real `boomerang serve --demo` process, with every kind of secret created and
used over the API and the pages (and refused in error paths), writes none of them to its log.

The demo's own credentials are printed on purpose once, at start-up (`make run` shows them to the person
who started it); after that banner they must not appear either, though the requests below use them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from boomerang.sample.demo import DEMO_SECRETS, DEMO_USERS
from tests.reliability.test_live_faults import assert_log_free_of, create_secrets
from tests.support.live_server import LiveServer

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
SHOWN_ONCE = re.compile(r"bkm_[A-Za-z0-9_\-]{16,}")
SESSION_COOKIE = "boomerang_session"


@pytest.fixture
def demo_server(tmp_path: Path) -> Iterator[LiveServer]:
    server = LiveServer(
        f"sqlite:///{tmp_path / 'demo.db'}", tmp_path / "live", args=("--demo",), BOOMERANG_DEMO_RETURNS="20"
    ).start()
    yield server
    server.stop()


def _csrf(browser: httpx.Client, path: str) -> str:
    match = CSRF.search(browser.get(path).text)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def _sign_in(browser: httpx.Client, email: str, password: str) -> httpx.Response:
    data = {"email": email, "password": password, "csrf_token": _csrf(browser, "/login")}
    return browser.post("/login", data=data, follow_redirects=False)


def _use_the_pages(browser: httpx.Client, email: str, password: str) -> list[str]:
    """Sign in (once wrongly), create an API key on the page, forge a CSRF token, sign out: the session
    cookie, the CSRF token and the key shown once on the page are returned."""
    assert _sign_in(browser, email, password + "-wrong").status_code == 401
    assert _sign_in(browser, email, password).status_code == 303
    seen = [browser.cookies[SESSION_COOKIE]]
    token = _csrf(browser, "/settings")
    created = browser.post("/settings/api-keys", data={"name": "from the page", "csrf_token": token})
    shown = SHOWN_ONCE.findall(created.text)
    assert created.status_code == 200 and shown, "the new key is shown once on the page"
    seen += [token, *shown]
    forged = browser.post("/settings/api-keys", data={"name": "x", "csrf_token": token[:-2] + "xx"})
    assert forged.status_code == 403
    assert browser.post("/logout", data={"csrf_token": token}, follow_redirects=False).status_code == 303
    return seen


def test_a_demo_server_logs_no_secret(demo_server: LiveServer) -> None:
    banner = demo_server.log()
    assert "demo data loaded" in banner, banner[-2000:]
    secrets, merchant_headers = create_secrets(demo_server)
    demo_email, demo_password = DEMO_USERS[0]
    with demo_server.client() as browser:
        secrets += _use_the_pages(browser, "ana@example.com", "correct horse battery staple 42")
        secrets += _use_the_pages(browser, demo_email, demo_password)
        demo_key = {"Authorization": f"Bearer {DEMO_SECRETS['Acme Outdoor']}"}
        # error paths carrying credentials: a foreign id, a malformed body, a wrong token
        for headers in (merchant_headers, demo_key, {"Authorization": f"Bearer {secrets[0]}x"}):
            browser.get("/api/v1/returns/ret_nothing", headers=headers)
            browser.post(
                "/api/v1/returns", content=b"{not json", headers={**headers, "Content-Type": "application/json"}
            )
            browser.get("/api/v1/returns", params={"limit": 0}, headers=headers)
    log = demo_server.log()
    assert_log_free_of(log, secrets)
    demo_credentials = [*DEMO_SECRETS.values(), *(password for _, password in DEMO_USERS)]
    assert_log_free_of(log[len(banner) :], demo_credentials)
    print(f"\nRELIABILITY FIGURES demo server log: {len(log):,} bytes searched for {len(secrets)} secrets")
