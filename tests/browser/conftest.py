"""Browser tests: a real `boomerang serve --demo` process, driven by Debian's Chromium through Playwright.

Runs against SQLite and (when reachable) PostgreSQL. Skipped with a one-line hint when /usr/bin/chromium
is missing, unless BOOMERANG_REQUIRE_BROWSER=1 (CI), where a missing browser fails instead.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlalchemy import create_engine, text

from boomerang.sample.demo import DEMO_USERS
from tests.conftest import PG_SERVER, _postgres_available
from tests.support.live_server import LiveServer
from tests.support.postgres import drop_database_later

CHROMIUM = Path(os.environ.get("BOOMERANG_CHROMIUM", "/usr/bin/chromium"))
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
MERCHANT = DEMO_USERS[0]
OTHER_MERCHANT = DEMO_USERS[2]
OPERATOR = DEMO_USERS[1]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("BOOMERANG_REQUIRE_BROWSER") == "1":
        return  # the `browser` fixture fails loudly instead
    hint = pytest.mark.skip(reason=f"no {CHROMIUM}: apt-get install -y chromium to run the browser tests")
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(hint)


def demo_server(database_url: str, data_dir: Path) -> LiveServer:
    """`boomerang serve --demo` with BOOMERANG_DEMO_RETURNS (default 60) returns per demo merchant."""
    returns = os.environ.get("BOOMERANG_DEMO_RETURNS", "60")
    return LiveServer(database_url, data_dir, args=("--demo",), BOOMERANG_DEMO_RETURNS=returns)


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    data_dir = tmp_path_factory.mktemp(f"server-{request.param}")
    if request.param == "sqlite":
        with demo_server(f"sqlite:///{data_dir / 'boomerang.db'}", data_dir) as server:
            yield server
        return
    if not _postgres_available():
        if os.environ.get("BOOMERANG_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL is required but {PG_SERVER} is not reachable")
        pytest.skip(f"PostgreSQL not reachable at {PG_SERVER}")
    name = f"boomerang_browser_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    try:
        with demo_server(PG_SERVER.rsplit("/", 1)[0] + f"/{name}", data_dir) as server:
            yield server
    finally:
        drop_database_later(PG_SERVER, name)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail(f"BOOMERANG_REQUIRE_BROWSER=1 but {CHROMIUM} is missing (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield browser
        browser.close()


@dataclass
class PageWatch:
    """What a page did that it must not: console errors, requests to any other origin."""

    origin: str
    console_errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)

    def on_console(self, message: Any) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)

    def on_request(self, request: Any) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("data", "blob", "about"):
            return
        if f"{parts.scheme}://{parts.netloc}" != self.origin:
            self.foreign_requests.append(request.url)


@pytest.fixture
def page(chromium: Any, server: LiveServer) -> Iterator[Any]:
    context = chromium.new_context(base_url=server.base_url, viewport={"width": 1280, "height": 800})
    context.set_default_timeout(15_000)
    new_page = context.new_page()
    watch = PageWatch(server.base_url)
    new_page.on("console", watch.on_console)
    new_page.on("pageerror", lambda error: watch.console_errors.append(str(error)))
    new_page.on("request", watch.on_request)
    new_page.watch = watch
    yield new_page
    context.close()
    assert watch.foreign_requests == [], "requests left the server"
    assert watch.console_errors == [], "console errors"


def sign_in(page: Any, login: tuple[str, str]) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(login[0])
    page.get_by_label("Password").fill(login[1])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


@pytest.fixture
def merchant_page(page: Any) -> Any:
    sign_in(page, MERCHANT)
    return page
