"""Station pages over HTTP (TestClient, both databases): sign-in and FC choice, scans, the Decision
fragment, all-or-nothing completion with clear conflicts, unidentified packages, queue, work orders."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.api.dock import arrived, complete, image_bytes, inspect, processing, scan
from tests.support.builders import Api, FrozenClock, Merchant
from tests.web.conftest import Browser, make_user

STEPS = {"return_action": "Restock", "backup_action": "Quarantine", "inspection_steps": ["Seal intact", "No stains"]}


def operator_browser(api: Api, *fc_ids: str) -> Browser:
    browser = Browser(api.client, make_user(api, "Operator", fulfillment_center_ids=list(fc_ids)))
    response = browser.sign_in()
    assert response.status_code == 303 and response.headers["location"] == "/station", response.text
    return browser


def product_with(api: Api, merchant: Merchant, prefs: dict[str, Any] | None = None, **fields: Any) -> dict[str, Any]:
    product = api.product(merchant, **fields)
    if prefs:
        url = f"/api/v1/products/{product['id']}/return-preferences"
        assert api.client.put(url, json=prefs, headers=merchant.headers).status_code == 200
    return product


def status_text(html: str) -> str:
    match = re.search(r'role="status"[^>]*>(.*?)</div>', html, re.S)
    assert match, "no status element"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def get_return(api: Api, merchant: Merchant, return_id: str) -> dict[str, Any]:
    return dict(api.client.get(f"/api/v1/returns/{return_id}", headers=merchant.headers).json())


def test_a_merchant_user_is_sent_away_from_the_station(signed_in: Browser) -> None:
    response = signed_in.client.get("/station", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/"


def test_an_operator_of_several_fcs_picks_one_and_the_header_shows_it(api: Api) -> None:
    first, second = api.fulfillment_center(name="North dock"), api.fulfillment_center(name="South dock")
    browser = operator_browser(api, first["id"], second["id"])
    response = browser.client.get("/station", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/station/fc?next=/station"
    foreign = api.fulfillment_center()
    refused = browser.post("/station/fc", {"fulfillment_center_id": foreign["id"]}, page="/station/fc")
    assert refused.status_code == 422
    chosen = browser.post(
        "/station/fc", {"fulfillment_center_id": second["id"], "next": "/station"}, page="/station/fc"
    )
    assert chosen.status_code == 303 and chosen.headers["location"] == "/station"
    header = browser.client.get("/station").text.split("</header>")[0]
    assert "South dock" in header and "Switch" in header


def test_a_scan_without_a_csrf_token_is_refused_and_records_nothing(api: Api) -> None:
    merchant, fc, _ = api.setup()
    browser = operator_browser(api, fc["id"])
    order = api.return_order(merchant, fc["id"])
    response = browser.client.post("/station/scan", data={"scanned": order["reference_id"]}, follow_redirects=False)
    assert response.status_code == 403
    assert get_return(api, merchant, order["id"])["status"] == "AwaitingArrival"


def test_a_scan_shows_its_outcome_and_enter_on_the_empty_field_opens_the_return(api: Api) -> None:
    merchant, fc, _ = api.setup()
    browser = operator_browser(api, fc["id"])
    order = api.return_order(merchant, fc["id"])
    response = browser.post("/station/scan", {"scanned": f"  {order['reference_id']} "}, page="/station")
    assert response.status_code == 303
    page = browser.client.get(response.headers["location"]).text
    assert status_text(page).startswith(f"matched ✓ Return {order['reference_id']} has arrived")
    assert f'name="last_return_id" value="{order["id"]}"' in page
    opened = browser.post("/station/scan", {"scanned": "", "last_return_id": order["id"]}, page="/station")
    assert opened.status_code == 303 and opened.headers["location"] == f"/station/returns/{order['id']}"
    assert get_return(api, merchant, order["id"])["status"] == "Processing"
    again = browser.post("/station/scan", {"scanned": order["reference_id"]}, page="/station")
    assert status_text(browser.client.get(again.headers["location"]).text).startswith("already_arrived")


def test_after_an_ambiguous_scan_a_digit_picks_that_candidate(api: Api) -> None:
    fc = api.fulfillment_center()
    first, second = api.merchant(), api.merchant()
    orders = [api.return_order(m, fc["id"], tracking_number="1ZSHARED0001") for m in (first, second)]
    browser = operator_browser(api, fc["id"])
    response = browser.post("/station/scan", {"scanned": "1ZSHARED0001"}, page="/station")
    page = browser.client.get(response.headers["location"]).text
    assert status_text(page).startswith("ambiguous") and page.count('data-key="') == 2
    picked_id = re.findall(r'name="candidate_id" value="([^"]+)"', page)[1]
    chosen = browser.post("/station/scan", {"scanned": "2", "ambiguous_scan": "1ZSHARED0001"}, page="/station")
    assert status_text(browser.client.get(chosen.headers["location"]).text).startswith("matched")
    statuses = {o["id"]: get_return(api, m, o["id"])["status"] for o, m in zip(orders, (first, second), strict=True)}
    assert statuses[picked_id] == "Arrived" and sorted(statuses.values()) == ["Arrived", "AwaitingArrival"]


def test_the_decision_fragment_is_the_domains_decision_for_the_typed_facts(api: Api) -> None:
    merchant, fc, operator = api.setup()
    order = processing(api, operator, api.return_order(merchant, fc["id"], [product_with(api, merchant, STEPS)]))
    browser = operator_browser(api, fc["id"])
    line = order["inventory"][0]["id"]
    url = f"/station/returns/{order['id']}/lines/{line}/decision"
    pending = browser.client.get(url, params={f"qty-{line}": "1", f"step-{line}-0": "pass"}).text
    assert "Answer step 2" in pending
    failed = browser.client.get(url, params={f"qty-{line}": "1", f"step-{line}-0": "fail"}).text
    assert "Quarantine" in failed and "backup action" in failed and "Still answer step 2" in failed
    too_many = browser.client.get(url, params={f"qty-{line}": "5", f"step-{line}-0": "fail"}).text
    assert "Quantity_received is 0 to 1" in too_many and "Quarantine" not in too_many


def test_an_unanswered_step_refuses_completion_keeps_what_was_typed_and_writes_nothing(api: Api) -> None:
    merchant, fc, operator = api.setup()
    lot = product_with(api, merchant, STEPS, is_lot_tracked=True)
    order = processing(api, operator, api.return_order(merchant, fc["id"], [lot]))
    browser = operator_browser(api, fc["id"])
    line = order["inventory"][0]["id"]
    form = {
        "version": str(order["version"]),
        f"qty-{line}": "1",
        f"step-{line}-0": "pass",
        f"lot-{line}": "LOT-KEEP-ME",
        f"expiry-{line}": "2030-01-31",
    }
    page = f"/station/returns/{order['id']}"
    files = {f"photos-{line}": ("lot.png", image_bytes(), "image/png")}
    response = browser.post(f"/station/returns/{order['id']}/complete", form, page=page, files=files)
    assert response.status_code == 422
    assert 'role="alert"' in response.text and "Answer every inspection step" in response.text
    assert "answer step 2" in response.text and 'value="LOT-KEEP-ME"' in response.text
    after = get_return(api, merchant, order["id"])
    assert after["status"] == "Processing" and after["version"] == order["version"]
    assert after["inventory"][0]["quantity_received"] is None


def test_a_second_operator_is_told_the_return_was_completed_and_nothing_of_theirs_is_saved(api: Api) -> None:
    merchant, fc, operator = api.setup()
    order = processing(api, operator, api.return_order(merchant, fc["id"]))
    line = order["inventory"][0]["id"]
    first, second = operator_browser(api, fc["id"]), operator_browser(api, fc["id"])
    form = {"version": str(order["version"]), f"qty-{line}": "1"}
    path, page = f"/station/returns/{order['id']}/complete", f"/station/returns/{order['id']}"
    token = second.csrf(page)  # the second operator has the page open too
    done = first.post(path, form, page=page)
    assert done.status_code == 303 and done.headers["location"] == f"/station?completed={order['id']}"
    late = second.client.post(path, data={**form, f"qty-{line}": "0", "csrf_token": token})
    assert late.status_code == 409
    assert "was already completed by" in late.text and "nothing you entered was saved" in late.text
    assert "Back to Receive" in late.text
    final = get_return(api, merchant, order["id"])
    assert [(a["action"], a["quantity_processed"]) for a in final["inventory"][0]["actions_taken"]] == [("Restock", 1)]


def test_a_page_opened_before_another_change_is_stale(api: Api) -> None:
    merchant, fc, operator = api.setup()
    order = processing(api, operator, api.return_order(merchant, fc["id"]))
    line = order["inventory"][0]["id"]
    browser = operator_browser(api, fc["id"])
    page = f"/station/returns/{order['id']}"
    token = browser.csrf(page)
    assert inspect(api, operator, order["id"], line, quantity_received=0).status_code == 200
    response = browser.client.post(
        f"{page}/complete", data={"version": str(order["version"]), f"qty-{line}": "1", "csrf_token": token}
    )
    assert response.status_code == 409 and "changed since this page was opened" in response.text
    assert f'name="version" value="{order["version"] + 1}"' in response.text  # the page now shows the return as it is
    assert get_return(api, merchant, order["id"])["status"] == "Processing"


def test_another_fcs_return_is_the_404_page(api: Api) -> None:
    merchant, fc, _ = api.setup()
    elsewhere = api.fulfillment_center()
    order = api.return_order(merchant, elsewhere["id"])
    browser = operator_browser(api, fc["id"])
    response = browser.client.get(f"/station/returns/{order['id']}")
    assert response.status_code == 404 and "<h1>Page not found</h1>" in response.text


def test_an_unidentified_package_gets_a_note_and_a_photo_and_is_resolved_by_scanning(api: Api) -> None:
    merchant, fc, operator = api.setup()
    order = api.return_order(merchant, fc["id"])
    package_id = scan(api, operator, fc["id"], "TORN-0042").json()["unidentified_package_id"]
    browser = operator_browser(api, fc["id"])
    note = {"note": "FedEx, from Ana", "next": "/station/unidentified"}
    noted = browser.post(f"/station/unidentified/{package_id}/note", note, page="/station/unidentified")
    assert noted.status_code == 303
    files = {"file": ("box.jpg", image_bytes("JPEG"), "image/jpeg")}
    photo = browser.post(f"/station/unidentified/{package_id}/photos", {}, page="/station/unidentified", files=files)
    assert photo.status_code == 303
    listed = api.client.get("/api/v1/warehouse/unidentified", headers=operator.headers).json()["items"][0]
    assert listed["note"] == "FedEx, from Ana" and len(listed["photo_ids"]) == 1
    page = browser.client.get("/station/unidentified").text
    assert "FedEx, from Ana" in page and f"/station/photos/{listed['photo_ids'][0]}" in page
    resolve = f"/station/unidentified/{package_id}/resolve"
    unknown = browser.post(resolve, {"scanned": "NOT-A-REF-99"}, page="/station/unidentified")
    assert unknown.status_code == 422 and "no return at this fulfillment center" in unknown.text
    resolved = browser.post(resolve, {"scanned": order["reference_id"]}, page="/station/unidentified")
    assert resolved.status_code == 303 and "outcome=matched" in resolved.headers["location"]
    assert get_return(api, merchant, order["id"])["status"] == "Arrived"
    assert "TORN-0042" not in browser.client.get("/station/unidentified").text


def test_the_queue_lists_the_oldest_first_and_marks_the_late_ones(api: Api, clock: FrozenClock) -> None:
    merchant, fc, operator = api.setup()
    old = arrived(api, operator, api.return_order(merchant, fc["id"]))
    clock.advance(days=20)  # 14 business days later
    new = arrived(api, operator, api.return_order(merchant, fc["id"]))
    page = operator_browser(api, fc["id"]).client.get("/station/queue").text
    assert page.index(old["reference_id"]) < page.index(new["reference_id"])
    assert page.count("Past target") == 1 and "<h1>Queue</h1>" in page


@pytest.mark.parametrize("kind", ["Disposal"])
def test_a_work_order_is_completed_with_the_units_actually_picked(api: Api, kind: str) -> None:
    merchant, fc, operator = api.setup()
    product = product_with(api, merchant, {"return_action": "Quarantine"})
    order = api.return_order(merchant, fc["id"], [product])
    patch = {"inventory": [{"product_id": product["id"], "quantity": 3}]}
    assert api.client.patch(f"/api/v1/returns/{order['id']}", json=patch, headers=merchant.headers).status_code == 200
    order = processing(api, operator, order)
    assert inspect(api, operator, order["id"], order["inventory"][0]["id"], quantity_received=3).status_code == 200
    assert complete(api, operator, order["id"]).status_code == 200
    body = {"type": kind, "fulfillment_center_id": fc["id"], "items": [{"product_id": product["id"], "quantity": 3}]}
    work_order = api.client.post("/api/v1/work-orders", json=body, headers=merchant.headers).json()
    item_id = work_order["items"][0]["id"]
    browser = operator_browser(api, fc["id"])
    assert f'name="picked-{item_id}"' in browser.client.get("/station/work-orders").text
    path = f"/station/work-orders/{work_order['id']}/complete"
    too_many = browser.post(path, {f"picked-{item_id}": "4"}, page="/station/work-orders")
    assert too_many.status_code == 303 and "picked is 0 to 3" in browser.client.get("/station/work-orders").text
    done = browser.post(path, {f"picked-{item_id}": "2"}, page="/station/work-orders")
    assert done.status_code == 303
    final = api.client.get(f"/api/v1/work-orders/{work_order['id']}", headers=merchant.headers).json()
    assert final["status"] == "Completed" and final["items"][0]["quantity_picked"] == 2 and final["units"] == 2
    stock = api.client.get("/api/v1/inventory", params={"product_id": product["id"]}, headers=merchant.headers).json()
    assert [(row["quarantine"], row["reserved"]) for row in stock["items"]] == [(1, 0)]  # the unpicked unit stays
    assert work_order["id"] not in browser.client.get("/station/work-orders").text
