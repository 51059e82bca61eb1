"""The operator station in a real browser: a pile of packages at the dock, a return processed with the
keyboard, the live Decision, a lot photo, Ctrl+Enter, and the outcome as the merchant sees it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest

from boomerang.sample.demo import STATION_WALKTHROUGH
from tests.api.dock import image_bytes
from tests.browser.conftest import OPERATOR, sign_in
from tests.browser.floor import Floor, build_floor
from tests.support.live_server import LiveServer


@pytest.fixture
def floor(server: LiveServer) -> Iterator[Floor]:
    built = build_floor(server.base_url, server.admin)
    yield built
    built.api.close()


@pytest.fixture
def operator_page(page: Any, floor: Floor) -> Any:
    sign_in(page, floor.operator_login)
    assert page.url.endswith("/station")
    return page


def scan(page: Any, code: str) -> str:
    """Type a code into the focused Scan field and press Enter, like a keyboard-wedge scanner."""
    assert page.evaluate("document.activeElement.id") == "scan"
    page.keyboard.type(code)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    return str(page.get_by_role("status").inner_text())


def test_a_pile_of_five_packages_is_received_by_typing_each_code_and_enter(operator_page: Any, floor: Floor) -> None:
    page = operator_page
    product = floor.product()
    order = floor.return_order([(product, 1)])
    rts = floor.shipment(product, returned_to_sender=True)
    regular = floor.shipment(product)
    outcomes = [
        scan(page, code)
        for code in (
            order["reference_id"],
            rts["tracking_number"],
            regular["tracking_number"],
            "SMUDGED-4471",
            order["reference_id"],
        )
    ]
    codes = ["matched", "rts_created", "regular_created", "unidentified", "already_arrived"]
    assert [text.split()[0] for text in outcomes] == codes
    assert order["reference_id"] in outcomes[0] and "RTS-" in outcomes[1]
    scans = page.get_by_role("region", name="Your scans").or_(page.locator("section[aria-labelledby=receipts-title]"))
    table = scans.locator("tbody tr")
    assert table.count() == 4  # the second scan of the same package found it arrived: nothing new recorded
    assert floor.get_return(order["id"])["status"] == "Arrived"
    assert page.evaluate("document.activeElement.id") == "scan"


def test_a_return_is_processed_with_the_keyboard_and_the_merchant_sees_the_outcome(
    operator_page: Any, floor: Floor
) -> None:
    page = operator_page
    steps = floor.product(
        {"return_action": "Restock", "backup_action": "Quarantine", "inspection_steps": ["Tags on", "No stains"]}
    )
    lot = floor.product(
        {"return_action": "Restock", "backup_action": "Dispose"}, is_lot_tracked=True, minimum_shelf_life_days=90
    )
    order = floor.return_order([(steps, 1), (lot, 2)])
    scan(page, order["reference_id"])
    with page.expect_navigation():
        page.keyboard.press("Enter")  # opens the return: Arrived -> Processing
    assert page.locator("h1").inner_text() == "Process"
    first, second = (line["id"] for line in order["inventory"])
    decision = page.locator(f".decision[data-line-id='{first}']")
    assert "Answer step 1, 2" in decision.inner_text()

    page.keyboard.press("p")  # step 1 passes
    page.keyboard.press("f")  # step 2 fails
    line = page.locator(f"section.line[data-line-id='{first}']")
    assert line.get_by_label("Pass").first.is_checked() and line.get_by_label("Fail").nth(1).is_checked()
    page.wait_for_function(
        "id => document.querySelector(`.decision[data-line-id='${id}']`).innerText.includes('Quarantine')", arg=first
    )
    assert "backup action" in decision.inner_text() and "inspection step failed" in decision.inner_text()

    lot_line = page.locator(f"section.line[data-line-id='{second}']")
    assert page.evaluate("document.activeElement.id") == f"lot-{second}"  # the next field that needs an answer
    page.keyboard.type("LOT-7781")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == f"expiry-{second}"
    soon = date.today() + timedelta(days=30)  # inside the 90-day minimum shelf life
    page.keyboard.type(soon.strftime("%m%d%Y"))
    lot_decision = page.locator(f".decision[data-line-id='{second}']")
    page.wait_for_function(
        "id => document.querySelector(`.decision[data-line-id='${id}']`).innerText.includes('shelf life')", arg=second
    )
    assert "Dispose" in lot_decision.inner_text() and "backup action" in lot_decision.inner_text()

    lot_line.get_by_label("Photo").set_input_files(
        files=[{"name": "lot.png", "mimeType": "image/png", "buffer": image_bytes("PNG", (32, 32))}]
    )
    lot_line.locator("[data-thumbs] img").wait_for()
    page.locator("body").click(position={"x": 2, "y": 2})
    with page.expect_navigation():
        page.keyboard.press("Control+Enter")
    assert page.url.endswith(f"/station?completed={order['id']}")
    assert page.evaluate("document.activeElement.id") == "scan"
    done = page.locator("section.done")
    assert f"Completed {order['reference_id']}" in done.inner_text()

    final = floor.get_return(order["id"])
    assert final["status"] == "Completed"
    taken = {line["id"]: line["actions_taken"] for line in final["inventory"]}
    assert [(a["action"], a["action_reason"]) for a in taken[first]] == [("Quarantine", "FailedInspection")]
    assert [(a["action"], a["action_reason"], a["lot_number"]) for a in taken[second]] == [
        ("Dispose", "ShelfLife", "LOT-7781")
    ]
    assert len(taken[second][0]["photo_ids"]) == 1

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/login")
    sign_in(page, floor.merchant_login)
    page.goto(f"/returns/{order['id']}")
    shown = page.locator("main").inner_text()
    assert "Quarantined: failed inspection" in shown and "Disposed: shorter shelf life" in shown
    assert "LOT-7781" in shown
    page.locator(f"img[src='/photos/{taken[second][0]['photo_ids'][0]}']").wait_for()


def test_the_printed_demo_operator_login_completes_a_demo_return_with_the_keyboard_alone(page: Any) -> None:
    fc_name, reference = STATION_WALKTHROUGH
    sign_in(page, OPERATOR)
    assert "/station/fc" in page.url and page.get_by_label(f"{fc_name} (US)").is_checked()
    with page.expect_navigation():
        page.keyboard.press("Enter")  # work at the first FC, already chosen
    assert fc_name in page.locator("header").inner_text()
    assert scan(page, reference).startswith(f"matched ✓ Return {reference} has arrived")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    with page.expect_navigation():
        page.keyboard.press("Control+Enter")
    assert f"Completed {reference}" in page.locator("section.done").inner_text()


def test_scanning_an_item_counts_units_on_its_line_and_the_rest_is_missing(operator_page: Any, floor: Floor) -> None:
    page = operator_page
    barcode = f"08100{abs(hash(floor.fc['id'])) % 10**8:08d}"
    counted = floor.product(barcodes=[barcode])
    order = floor.return_order([(floor.product(), 1), (counted, 3)])
    scan(page, order["reference_id"])
    with page.expect_navigation():
        page.keyboard.press("Enter")
    line_id = order["inventory"][1]["id"]
    quantity = page.locator(f"#qty-{line_id}")
    assert quantity.input_value() == "3"  # the expected quantity until the first item scan
    for _ in range(2):
        page.keyboard.type(barcode)
        page.keyboard.press("Enter")
    assert quantity.input_value() == "2"
    # Each scan asks the server again; wait for the answer to the last one (the page drops stale answers).
    page.wait_for_function(
        "id => document.querySelector(`.decision[data-line-id='${id}']`).innerText.includes('Missing 1 unit')",
        arg=line_id,
    )
    decision = page.locator(f".decision[data-line-id='{line_id}']").inner_text()
    assert "Restock 2 units" in decision and "Missing 1 unit: not in the package" in decision
