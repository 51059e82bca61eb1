"""Sign-in, sessions, CSRF, throttling and headers, through the pages with a real database."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from boomerang.bootstrap import make_uow_factory
from boomerang.entrypoints.http.app import create_app
from tests.support.builders import Api, FrozenClock
from tests.web.conftest import Browser, make_user


def test_sign_in_sends_a_merchant_to_the_overview_with_a_hardened_cookie(browser: Browser) -> None:
    response = browser.sign_in()
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "<h1>Overview</h1>" in browser.client.get("/").text


def test_sign_in_sends_an_operator_to_the_station(api: Api) -> None:
    fc = api.fulfillment_center()
    browser = Browser(api.client, make_user(api, role="Operator", fulfillment_center_ids=[fc["id"]]))
    assert browser.sign_in().headers["location"] == "/station"


def test_wrong_password_shows_the_form_again_with_an_alert_and_no_session(browser: Browser) -> None:
    response = browser.sign_in(password="wrong-password")
    assert response.status_code == 401
    assert 'role="alert"' in response.text and "Email" in response.text
    assert browser.client.get("/", follow_redirects=False).status_code == 303


def test_unknown_email_reads_exactly_like_a_wrong_password(api: Api, browser: Browser) -> None:
    wrong_password = browser.sign_in(password="wrong-password").text
    stranger = Browser(api.client, "nobody@example.com").sign_in().text
    assert _alert(wrong_password) == _alert(stranger)


def _alert(html: str) -> str:
    return html.split('role="alert">', 1)[1].split("<", 1)[0]


def test_not_signed_in_redirects_to_login_with_the_page_as_next(browser: Browser) -> None:
    response = browser.client.get("/?days=90&x=1", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/%3Fdays%3D90%26x%3D1"


def test_sign_in_goes_on_to_a_same_site_next_only(browser: Browser) -> None:
    assert browser.sign_in(next_path="//evil.example/x").headers["location"] == "/"
    browser.client.post("/logout", data={"csrf_token": browser.csrf("/")})
    assert browser.sign_in(next_path="/products?quarantine=1").headers["location"] == "/products?quarantine=1"


def test_sign_out_revokes_the_session_even_for_a_copied_cookie(signed_in: Browser) -> None:
    copied = dict(signed_in.client.cookies)
    response = signed_in.post("/logout", {}, page="/")
    assert response.status_code == 303 and response.headers["location"] == "/login"
    signed_in.client.cookies.update(copied)
    assert signed_in.client.get("/", follow_redirects=False).headers["location"].startswith("/login")


def test_a_post_without_csrf_token_is_a_403_page_and_changes_nothing(signed_in: Browser) -> None:
    response = signed_in.client.post("/logout", data={}, follow_redirects=False)
    assert response.status_code == 403
    assert "<h1>Forbidden</h1>" in response.text
    assert signed_in.client.get("/", follow_redirects=False).status_code == 200


def test_a_csrf_token_of_another_session_is_refused(api: Api, signed_in: Browser, merchant) -> None:  # type: ignore[no-untyped-def]
    stolen = signed_in.csrf("/")
    other = Browser(api.client, make_user(api, merchant_id=merchant.id))
    api.client.cookies.clear()
    other.sign_in()
    assert api.client.post("/logout", data={"csrf_token": stolen}, follow_redirects=False).status_code == 403


def test_login_without_its_csrf_token_is_refused(browser: Browser) -> None:
    response = browser.client.post("/login", data={"email": browser.email, "password": "x"}, follow_redirects=False)
    assert response.status_code == 403


def test_ten_failures_from_one_address_throttle_it_with_a_429_page_even_for_the_right_password(
    browser: Browser,
) -> None:
    for _ in range(10):
        assert browser.sign_in(password="wrong-password").status_code == 401
    response = browser.sign_in()
    assert response.status_code == 429
    assert "Too many attempts" in response.text and response.headers["retry-after"] == "900"


def from_address(app: FastAPI, email: str, address: str) -> Browser:
    return Browser(TestClient(app, client=(address, 50000)), email)


def test_failures_for_an_email_from_many_addresses_never_lock_its_owner_out(app: FastAPI, browser: Browser) -> None:
    for n in range(20):
        assert from_address(app, browser.email, f"198.51.100.{n}").sign_in(password="wrong").status_code == 401
    assert from_address(app, browser.email, "203.0.113.9").sign_in().status_code == 303


def test_once_an_email_had_ten_failures_each_address_may_try_it_once_a_minute(
    app: FastAPI, browser: Browser, clock: FrozenClock
) -> None:
    for n in range(10):
        from_address(app, browser.email, f"198.51.100.{n}").sign_in(password="wrong")
    guesser = from_address(app, browser.email, "198.51.100.200")
    assert guesser.sign_in(password="wrong").status_code == 401
    paced = guesser.sign_in()  # even the right password waits its turn at this address
    assert paced.status_code == 429 and paced.headers["retry-after"] == "60"
    assert "Too many attempts" in paced.text and "try again in a minute" in paced.text
    clock.advance(minutes=1)
    assert guesser.sign_in().status_code == 303


def test_an_email_with_few_failures_is_not_paced(browser: Browser) -> None:
    for _ in range(9):
        assert browser.sign_in(password="wrong-password").status_code == 401
    assert browser.sign_in().status_code == 303


def test_throttling_ends_after_fifteen_minutes(browser: Browser, clock: FrozenClock) -> None:
    for _ in range(10):
        browser.sign_in(password="wrong-password")
    clock.advance(minutes=16)
    assert browser.sign_in().status_code == 303


def test_ten_failures_from_one_address_throttle_every_email_from_it(api: Api, browser: Browser) -> None:
    for n in range(10):
        Browser(api.client, f"guess{n}@example.com").sign_in()
    assert browser.sign_in().status_code == 429


def test_a_session_idle_for_twelve_hours_ends(signed_in: Browser, clock: FrozenClock) -> None:
    clock.advance(hours=11)
    assert signed_in.client.get("/", follow_redirects=False).status_code == 200
    clock.advance(hours=11)  # active 11 h ago: still fine
    assert signed_in.client.get("/", follow_redirects=False).status_code == 200
    clock.advance(hours=12, minutes=1)
    assert signed_in.client.get("/", follow_redirects=False).status_code == 303


def test_disabling_a_user_ends_its_sessions_at_once(api: Api, signed_in: Browser, session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    from boomerang.services.auth import SYSTEM
    from boomerang.services.web_sessions import disable_user

    with make_uow_factory(session_factory, clock=clock)(SYSTEM) as uow:
        user_id = uow.tenants.user_by_email(signed_in.email).id
    with make_uow_factory(session_factory, clock=clock)(SYSTEM) as uow:
        assert disable_user(uow, user_id=user_id)
    assert signed_in.client.get("/", follow_redirects=False).status_code == 303
    assert signed_in.sign_in().status_code == 401


def test_a_tampered_session_cookie_is_ignored(signed_in: Browser) -> None:
    value = signed_in.client.cookies["boomerang_session"]
    signed_in.client.cookies.clear()
    signed_in.client.cookies.set("boomerang_session", value[:-2] + ("xx" if not value.endswith("xx") else "yy"))
    assert signed_in.client.get("/", follow_redirects=False).status_code == 303


def test_every_page_carries_the_security_headers(signed_in: Browser) -> None:
    for path in ("/", "/login", "/no-such-page", "/api/docs"):
        headers = signed_in.client.get(path).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"


def test_unknown_page_is_the_404_page_but_unknown_api_path_stays_json(signed_in: Browser) -> None:
    page = signed_in.client.get("/no-such-page")
    assert page.status_code == 404 and "<h1>Page not found</h1>" in page.text
    api = signed_in.client.get("/api/v1/no-such-thing")
    assert api.status_code == 404 and api.json()["error"]["code"] == "not_found"


def test_api_docs_load_their_assets_from_this_server(browser: Browser) -> None:
    html = browser.client.get("/api/docs").text
    assert "cdn" not in html.lower()
    assert browser.client.get("/api/docs/assets/swagger-ui-bundle.js").status_code == 200
    assert browser.client.get("/static/js/api-docs.js").status_code == 200


def test_outside_development_the_session_cookie_is_secure(app, settings, browser: Browser) -> None:  # type: ignore[no-untyped-def]
    app.state.settings = settings.model_copy(update={"environment": "production", "secret_key": "s" * 40})
    with TestClient(app, base_url="https://testserver") as https:
        response = Browser(https, browser.email).sign_in()
    assert response.status_code == 303
    assert "Secure" in response.headers["set-cookie"]


def test_an_unexpected_error_on_a_page_is_the_500_page(settings, session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    app = create_app(settings, session_factory, clock)  # its own app: this test adds a route

    def broken() -> None:
        raise RuntimeError("boom")

    app.add_api_route("/test-only/broken", broken, methods=["GET"])
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/test-only/broken")
    assert response.status_code == 500
    assert "<h1>Something went wrong</h1>" in response.text and "boom" not in response.text
