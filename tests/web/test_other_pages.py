"""Quarantine, Billing and Settings pages, and the Overview, on real data made through the API."""

from __future__ import annotations

from typing import Any

from tests.api.dock import completed_return
from tests.support.builders import Api, Merchant
from tests.web.conftest import Browser

PREFS = {"return_action": "Quarantine", "rts_action": "Restock", "backup_action": "Dispose", "inspection_steps": []}


def _quarantined(api: Api, merchant: Merchant, quantity: int = 2) -> tuple[dict[str, Any], dict[str, Any]]:
    fc = api.fulfillment_center()
    operator = api.operator(fc["id"])
    product = api.product(merchant)
    api.client.put(f"/api/v1/products/{product['id']}/return-preferences", json=PREFS, headers=merchant.headers)
    completed_return(api, merchant, operator, fc["id"], product, quantity=quantity)
    return fc, product


def test_every_page_answers_with_its_heading(api: Api, merchant: Merchant, signed_in: Browser) -> None:
    _quarantined(api, merchant)
    headings = {
        "/": "Overview",
        "/returns": "Returns",
        "/returns/new": "New return",
        "/products": "Products",
        "/products/bulk": "Bulk preferences",
        "/quarantine": "Quarantine",
        "/billing": "Billing",
        "/settings": "Settings",
    }
    for path, heading in headings.items():
        response = signed_in.client.get(path)
        assert response.status_code == 200, path
        assert f"<h1>{heading}</h1>" in response.text, path


def test_overview_counts_and_csv_come_from_the_data(api: Api, merchant: Merchant, signed_in: Browser) -> None:
    _quarantined(api, merchant, quantity=2)
    html = signed_in.client.get("/", params={"days": 90}).text
    assert '<span class="badge Quarantine">Quarantine</span></td><td class="num">2</td>' in html
    csv_text = signed_in.client.get("/overview/dispositions.csv", params={"days": 90}).text
    assert "Quarantine,2" in csv_text
    assert signed_in.client.get("/overview/nothing.csv").status_code == 404


def test_quarantine_lists_units_and_creates_a_disposal(api: Api, merchant: Merchant, signed_in: Browser) -> None:
    fc, product = _quarantined(api, merchant)
    html = signed_in.client.get("/quarantine").text
    assert product["sku"] in html
    position = f"{product['id']}|{fc['id']}|"
    response = signed_in.post(
        "/quarantine/work-orders", {"position": position, "quantity": "1", "type": "Disposal"}, page="/quarantine"
    )
    assert response.status_code == 303
    orders = api.client.get("/api/v1/work-orders", headers=merchant.headers).json()["items"]
    assert [(o["type"], o["status"]) for o in orders] == [("Disposal", "Open")]


def test_a_work_order_for_more_than_is_quarantined_is_refused(api: Api, merchant: Merchant, signed_in: Browser) -> None:
    fc, product = _quarantined(api, merchant)
    position = f"{product['id']}|{fc['id']}|"
    response = signed_in.post(
        "/quarantine/work-orders", {"position": position, "quantity": "50", "type": "Disposal"}, page="/quarantine"
    )
    assert response.status_code == 422 and 'role="alert"' in response.text
    assert api.client.get("/api/v1/work-orders", headers=merchant.headers).json()["items"] == []


def test_billing_shows_the_processing_fee_and_the_months_invoice(
    api: Api, merchant: Merchant, signed_in: Browser
) -> None:
    _quarantined(api, merchant)
    html = signed_in.client.get("/billing").text
    assert "Return processing fee" in html
    assert signed_in.client.get("/billing/invoices/2026-11.csv").text.startswith("id,")
    assert signed_in.client.get("/billing/invoices/2026-11.pdf").content.startswith(b"%PDF")


def test_settings_creates_an_api_key_shown_once_that_works_until_revoked(api: Api, signed_in: Browser) -> None:
    html = signed_in.post("/settings/api-keys", {"name": "Shop app"}, page="/settings").text
    secret = html.split("<code>", 1)[1].split("</code>", 1)[0]
    headers = {"Authorization": f"Bearer {secret}"}
    assert api.client.get("/api/v1/returns", headers=headers).status_code == 200
    assert secret not in signed_in.client.get("/settings").text
    key_id = signed_in.client.get("/settings").text.split('action="/settings/api-keys/', 1)[1].split("/revoke", 1)[0]
    signed_in.post(f"/settings/api-keys/{key_id}/revoke", {}, page="/settings")
    assert api.client.get("/api/v1/returns", headers=headers).status_code == 401


def test_settings_adds_a_webhook_endpoint_and_connects_loop(api: Api, merchant: Merchant, signed_in: Browser) -> None:
    fc = api.fulfillment_center()
    added = signed_in.post(
        "/settings/webhooks", {"url": "https://hooks.example.com/b", "topics": ["return.created"]}, page="/settings"
    )
    assert added.status_code == 200 and "whsec_" in added.text
    hooks = api.client.get("/api/v1/webhooks", headers=merchant.headers).json()["items"]
    assert [h["url"] for h in hooks] == ["https://hooks.example.com/b"]
    assert "No deliveries yet." in signed_in.client.get(f"/settings/webhooks/{hooks[0]['id']}").text
    response = signed_in.post(
        "/settings/integrations/Loop",
        {"webhook_secret": "loop-secret-123456", "fulfillment_center_id": fc["id"]},
        page="/settings",
    )
    assert response.status_code == 303
    assert "✓ Connected" in signed_in.client.get("/settings").text


def test_overview_processing_time_counts_hours_from_arrival_to_completion(
    api: Api, merchant: Merchant, signed_in: Browser, clock: Any
) -> None:
    from tests.api.dock import complete, inspect, processing

    fc = api.fulfillment_center(name="Hours FC")
    operator = api.operator(fc["id"])
    order = api.return_order(merchant, fc["id"])
    processing(api, operator, order)
    inspect(api, operator, order["id"], order["inventory"][0]["id"])
    clock.advance(hours=30, minutes=20)
    assert complete(api, operator, order["id"]).status_code == 200
    signed_in.sign_in()  # 30 idle hours ended the session
    csv_text = signed_in.client.get("/overview/processing-times.csv").text
    assert "Hours FC,1,30.0,30.0" in csv_text


def test_percentile_of_a_histogram() -> None:
    from boomerang.services.read_models.overview import percentile

    histogram = {1: 5, 2: 3, 10: 2}  # ten returns
    assert (percentile(histogram, 0.5), percentile(histogram, 0.9), percentile({}, 0.5)) == (1, 10, 0)


def test_a_test_event_is_queued_for_the_endpoint_and_shows_in_its_log(
    api: Api, merchant: Merchant, signed_in: Browser
) -> None:
    signed_in.post(
        "/settings/webhooks", {"url": "https://hooks.example.com/t", "topics": ["return.created"]}, page="/settings"
    )
    hook = api.client.get("/api/v1/webhooks", headers=merchant.headers).json()["items"][0]
    response = signed_in.post(f"/settings/webhooks/{hook['id']}/test", {}, page=f"/settings/webhooks/{hook['id']}")
    assert response.status_code == 303
    log = api.client.get(f"/api/v1/webhooks/{hook['id']}/deliveries", headers=merchant.headers).json()["items"]
    assert [(d["topic"], d["status"]) for d in log] == [("webhook.test", "Pending")]
    assert "webhook.test" in signed_in.client.get(f"/settings/webhooks/{hook['id']}").text


def test_settings_shows_the_webhook_url_the_api_gives_for_each_provider(
    api: Api, merchant: Merchant, signed_in: Browser
) -> None:
    fc = api.fulfillment_center()
    html = signed_in.client.get("/settings").text
    for provider in ("aftership", "loop"):
        body = {"webhook_secret": f"{provider}-secret-123456", "fulfillment_center_id": fc["id"]}
        configured = api.client.put(f"/api/v1/integrations/{provider}", json=body, headers=merchant.headers).json()
        assert configured["webhook_url"] == f"/api/v1/integrations/{provider}/{merchant.id}/webhook"
        assert f"<code>http://testserver{configured['webhook_url']}</code>" in html
