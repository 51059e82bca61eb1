"""Signing in and out in a real browser."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import MERCHANT, OPERATOR, sign_in


def test_merchant_signs_in_and_lands_on_the_overview(merchant_page: Any) -> None:
    assert merchant_page.url.endswith("/")
    assert merchant_page.locator("h1").inner_text() == "Overview"
    assert merchant_page.get_by_role("button", name="Sign out").is_visible()


def test_wrong_password_shows_an_alert_and_the_form_again(page: Any) -> None:
    page.on("console", lambda _: None)
    sign_in(page, (MERCHANT[0], "not-the-password"))
    assert page.get_by_role("alert").is_visible()
    assert page.get_by_label("Password").is_visible()
    page.watch.console_errors.clear()  # the 401 of the form itself is logged by Chromium


def test_operator_signs_in_and_is_sent_to_the_station(page: Any) -> None:
    sign_in(page, OPERATOR)
    assert page.url.endswith("/station")
    page.watch.console_errors.clear()  # /station is built by the operator station (issue 12)


def test_after_sign_out_going_back_shows_the_login_page(merchant_page: Any) -> None:
    merchant_page.get_by_role("button", name="Sign out").click()
    merchant_page.wait_for_url("**/login")
    merchant_page.go_back()
    merchant_page.wait_for_load_state()
    assert merchant_page.locator("h1").inner_text() == "Sign in"
    assert "/login?next=" in merchant_page.url


def test_api_docs_render_offline(page: Any) -> None:
    page.goto("/api/docs")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "Boomerang" in page.locator(".swagger-ui .info .title").inner_text()
