"""Every page passes axe-core with no serious or critical violations, with nothing loaded from elsewhere."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import MERCHANT, sign_in

MERCHANT_PAGES = [
    "/",
    "/?days=365",
    "/returns",
    "/returns?status=Completed",
    "/returns/new",
    "/products",
    "/products?preferences=unconfigured",
    "/products/bulk",
    "/quarantine",
    "/billing",
    "/settings",
]


def _serious(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("path", MERCHANT_PAGES)
def test_merchant_page_has_no_serious_accessibility_violations(merchant_page: Any, path: str) -> None:
    merchant_page.goto(path)
    assert _serious(merchant_page) == []


def test_detail_pages_have_no_serious_accessibility_violations(merchant_page: Any) -> None:
    page = merchant_page
    page.goto("/returns?status=Completed")
    page.locator("tbody a").first.click()
    assert _serious(page) == []
    page.goto("/products")
    page.locator("tbody a").first.click()
    assert _serious(page) == []


def test_login_and_error_pages_have_no_serious_accessibility_violations(page: Any) -> None:
    page.goto("/login")
    assert _serious(page) == []
    sign_in(page, MERCHANT)
    page.goto("/returns/ret_nothing_here")
    assert page.locator("h1").inner_text() == "Page not found"
    assert _serious(page) == []
    page.watch.console_errors.clear()  # Chromium logs the 404 status


def test_the_check_itself_catches_an_unlabelled_input(merchant_page: Any) -> None:
    merchant_page.goto("/settings")
    merchant_page.evaluate("document.querySelector('main').append(document.createElement('input'))")
    assert any(v.startswith("label") for v in _serious(merchant_page))
