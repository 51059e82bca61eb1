"""Every station screen passes axe and fits a 768 px tablet without sideways scrolling."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import sign_in
from tests.browser.floor import Floor, build_floor
from tests.support.live_server import LiveServer

TABLET = {"width": 768, "height": 1024}


@pytest.fixture
def floor(server: LiveServer) -> Iterator[Floor]:
    built = build_floor(server.base_url, server.admin)
    yield built
    built.api.close()


def assert_accessible(page: Any, what: str) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, f"{what}:\n{results.generate_report()}"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= TABLET["width"], f"{what} is {width} px wide at {TABLET['width']} px"


def test_every_station_screen_is_accessible_at_tablet_width(page: Any, floor: Floor) -> None:
    page.set_viewport_size(TABLET)
    lot = floor.product(
        {"return_action": "Restock", "inspection_steps": ["Seal intact", "No dents"]},
        is_lot_tracked=True,
        minimum_shelf_life_days=30,
    )
    order = floor.return_order([(lot, 2), (floor.product(), 1)])
    sign_in(page, floor.operator_login)
    assert_accessible(page, "Receive")
    page.keyboard.type(order["reference_id"])
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_accessible(page, "Receive after a match")
    page.keyboard.type("NO-SUCH-LABEL-1")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_accessible(page, "Receive after an unidentified package")
    for path, title in (
        ("/station/queue", "Queue"),
        ("/station/unidentified", "Unidentified"),
        ("/station/work-orders", "Work orders"),
        (f"/station/returns/{order['id']}", "Process"),
    ):
        page.goto(path)
        assert page.locator("h1").inner_text() == title
        assert_accessible(page, title)
    page.keyboard.press("f")
    page.locator(".decision").first.get_by_text("Quarantine").wait_for()
    assert_accessible(page, "Process with a decision")


def test_the_fc_picker_is_accessible(page: Any, server: LiveServer, floor: Floor) -> None:
    second = floor.api.post(
        "/api/v1/admin/fulfillment-centers", json={"name": "Second dock", "country": "US"}, headers=server.admin
    ).json()
    email = f"two-{second['id'].lower()}@floor.example"
    body = {
        "email": email,
        "password": "two-docks-pass",
        "role": "Operator",
        "fulfillment_center_ids": [floor.fc["id"], second["id"]],
    }
    assert floor.api.post("/api/v1/admin/users", json=body, headers=server.admin).status_code == 201
    page.set_viewport_size(TABLET)
    sign_in(page, (email, "two-docks-pass"))
    assert "/station/fc" in page.url
    assert_accessible(page, "FC picker")
    page.get_by_label("Second dock").check()
    page.get_by_role("button", name="Work here").click()
    page.wait_for_url("**/station")
    assert "Second dock" in page.locator("header").inner_text()
