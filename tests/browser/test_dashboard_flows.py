"""The merchant's workflows end to end: a real server, a real browser, the demo data."""

from __future__ import annotations

import re
from typing import Any

from boomerang.sample.demo import DEMO_SECRETS
from tests.browser.conftest import OTHER_MERCHANT, sign_in
from tests.support.live_server import LiveServer

OPERATOR = {"Authorization": f"Bearer {DEMO_SECRETS['operator']}"}
ACME = {"Authorization": f"Bearer {DEMO_SECRETS['Acme Outdoor']}"}


def _complete_through_the_api(server: LiveServer, return_id: str) -> None:
    """The warehouse's side, as its API client would do it: scan, process, inspect, complete."""
    with server.client() as api:
        order = api.get(f"/api/v1/returns/{return_id}", headers=ACME).json()
        fc = order["fulfillment_center"]["id"]
        scanned = {"fulfillment_center_id": fc, "scanned": order["reference_id"]}
        assert api.post("/api/v1/warehouse/receipts", json=scanned, headers=OPERATOR).status_code == 201
        assert api.post(f"/api/v1/returns/{return_id}/start-processing", headers=OPERATOR).status_code == 200
        for line in order["inventory"]:
            body = {"quantity_received": line["quantity"], "step_results": [], "instructions_unclear": False}
            url = f"/api/v1/returns/{return_id}/inventory/{line['id']}/inspection"
            assert api.put(url, json=body, headers=OPERATOR).status_code == 200
        assert api.post(f"/api/v1/returns/{return_id}/complete", headers=OPERATOR).status_code == 200


def test_a_return_created_with_an_override_is_found_and_shows_its_outcome_and_fee(
    merchant_page: Any, server: LiveServer
) -> None:
    page = merchant_page
    reference = f"BRW-{server.kind.upper()}-0001"
    page.get_by_role("link", name="Returns", exact=True).click()
    page.get_by_role("link", name="New return").click()
    page.get_by_label("Reference").fill(reference)
    page.get_by_label("Customer").fill("Browser Tester")
    page.get_by_label("Product 1").fill("AC-TENT-2P")
    page.get_by_label("Quantity 1").fill("1")
    page.get_by_label("Action 1").select_option("Quarantine")
    page.get_by_role("button", name="Create return").click()
    page.wait_for_url(re.compile(r"/returns/ret_"))
    assert page.locator("h1").inner_text() == reference
    assert "Override: Quarantine" in page.locator("main").inner_text()
    return_id = page.url.rsplit("/", 1)[1]

    page.get_by_role("link", name="Returns", exact=True).click()
    page.get_by_label("Search").fill(reference.lower())
    page.get_by_role("button", name="Apply filters").click()
    page.get_by_role("link", name=reference).click()
    assert page.locator("h1").inner_text() == reference

    _complete_through_the_api(server, return_id)
    page.reload()
    main = page.locator("main").inner_text()
    assert "Quarantined: your preference" in main
    assert "Return processing fee" in main


def test_reference_is_checked_as_you_type(merchant_page: Any) -> None:
    merchant_page.goto("/returns/new")
    merchant_page.get_by_label("Reference").type("short")
    check = merchant_page.locator("#reference_id-check")
    check.filter(has_text="8 to 50").wait_for()
    merchant_page.get_by_label("Reference").fill("AC-NEW-UNUSED-77")
    merchant_page.get_by_label("Reference").press("End")
    merchant_page.get_by_label("Reference").type("7")
    check.filter(has_text="free").wait_for()


def test_bulk_csv_with_one_bad_row_shows_the_error_and_changes_nothing(merchant_page: Any, tmp_path: Any) -> None:
    page = merchant_page
    csv_file = tmp_path / "prefs.csv"
    csv_file.write_text("sku,return_action\nAC-TENT-2P,Dispose\nAC-JACKET-M,Sometimes\n")
    page.goto("/products/bulk")
    page.get_by_label("CSV file").set_input_files(str(csv_file))
    page.get_by_role("button", name="Preview changes").click()
    alert = page.get_by_role("alert")
    assert "Row 2 (line 3 of the file)" in alert.inner_text()
    assert "Sometimes" in alert.inner_text()
    page.watch.console_errors.clear()  # the 422 answer itself is logged by Chromium
    page.goto("/products?q=AC-TENT-2P")
    assert "Restock" in page.locator("tbody tr").first.inner_text()


def test_bulk_csv_preview_then_confirm_applies_the_kept_file(merchant_page: Any, tmp_path: Any) -> None:
    page = merchant_page
    csv_file = tmp_path / "prefs.csv"
    csv_file.write_text("sku,return_action,backup_action\nAC-SAMPLE-KIT,Dispose,Dispose\n")
    page.goto("/products/bulk")
    page.get_by_label("CSV file").set_input_files(str(csv_file))
    page.get_by_role("button", name="Preview changes").click()
    confirm = page.locator("form[action='/products/bulk/confirm']")
    assert confirm.locator("input[name=token]").get_attribute("value")
    assert confirm.locator("input[name=csv_text]").count() == 0  # the file stays on the server
    with page.expect_request("**/products/bulk/confirm") as sent:
        page.get_by_role("button", name="Confirm all 1 rows").click()
    assert "AC-SAMPLE-KIT" not in (sent.value.post_data or "")
    page.wait_for_url("**/products")
    assert "Return preferences of 1 products updated." in page.locator("main").inner_text()
    page.goto("/products?q=AC-SAMPLE-KIT")
    assert "Dispose" in page.locator("tbody tr").first.inner_text()


def test_another_merchants_return_is_the_404_page(page: Any, server: LiveServer) -> None:
    with server.client() as api:
        acme_return = api.get("/api/v1/returns?limit=1", headers=ACME).json()["items"][0]["id"]
    sign_in(page, OTHER_MERCHANT)
    response = page.goto(f"/returns/{acme_return}")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Page not found"
    page.watch.console_errors.clear()  # Chromium logs the 404 status


def test_a_form_posted_without_its_csrf_token_is_refused(merchant_page: Any) -> None:
    page = merchant_page
    page.eval_on_selector("form.signout input[name=csrf_token]", "input => input.remove()")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Forbidden"
    page.watch.console_errors.clear()  # Chromium logs the 403 status
    page.goto("/")
    assert page.locator("h1").inner_text() == "Overview"  # still signed in: nothing happened
