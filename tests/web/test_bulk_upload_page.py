"""The bulk preferences page keeps the uploaded file on the server between Preview and Confirm: Confirm
sends a token, so what the preview took (2 MB) is what Confirm applies, and the token is worth nothing
to another merchant, another browser, or after an hour."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from boomerang.config import Settings
from tests.reliability.test_bulk_uploads import configured_count, seed_products
from tests.support.builders import Api, FrozenClock, Merchant
from tests.web.conftest import Browser, make_user

CONFIRM_FORM = re.compile(r'<form method="post" action="/products/bulk/confirm">(.*?)</form>', re.S)
INPUT = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')
STEP = "Check that the seal is intact"


def _csv(skus: list[str]) -> bytes:
    header = "sku,return_action,rts_action,backup_action,inspection_step_1,inspection_step_2,inspection_step_3\n"
    return (header + "".join(f"{sku},Dispose,Restock,Quarantine,{STEP},," + "\n" for sku in skus)).encode()


def _preview(browser: Browser, data: bytes) -> Any:
    files = {"file": ("prefs.csv", data, "text/csv")}
    return browser.post("/products/bulk", {}, page="/products/bulk", files=files)


def _confirm_fields(preview_html: str) -> dict[str, str]:
    form = CONFIRM_FORM.search(preview_html)
    assert form, "no Confirm form"
    return dict(INPUT.findall(form.group(1)))


def _confirm(browser: Browser, token: str) -> Any:
    return browser.post("/products/bulk/confirm", {"token": token}, page="/products/bulk")


def _kept_files(settings: Settings) -> list[Path]:
    return [p for p in (settings.data_dir / "pending-uploads").glob("*/*") if p.is_file()]


def test_a_20000_row_csv_previews_and_confirms_with_a_token_instead_of_the_file(
    signed_in: Browser, merchant: Merchant, engine: Engine, settings: Settings
) -> None:
    skus = seed_products(engine, merchant.id, 20_000)
    data = _csv(skus)
    assert 1024 * 1024 < len(data) < 2 * 1024 * 1024  # over the 1 MB form field Confirm used to re-post
    started = time.perf_counter()
    preview = _preview(signed_in, data)
    previewed = time.perf_counter()
    assert preview.status_code == 200, preview.text[:2000]
    assert "Confirm all 20000 rows" in preview.text
    fields = _confirm_fields(preview.text)
    assert set(fields) == {"csrf_token", "token"} and len(fields["token"]) >= 40
    assert skus[-1] not in fields.values() and len(_kept_files(settings)) == 1
    assert configured_count(engine, merchant.id) == 0
    confirmed = signed_in.client.post("/products/bulk/confirm", data=fields, follow_redirects=False)
    done = time.perf_counter()
    assert len(confirmed.request.content) < 200  # the token and the CSRF token: no file
    assert confirmed.status_code == 303, confirmed.text[:2000]
    assert configured_count(engine, merchant.id) == 20_000
    assert _kept_files(settings) == []
    page_bytes = len(preview.content)
    timing = f"preview {previewed - started:.2f}s ({page_bytes:,} bytes of page), confirm {done - previewed:.2f}s"
    print(f"\n20,000 rows, {len(data):,} bytes: {timing}")


def test_another_merchants_or_another_browsers_token_changes_nothing(
    api: Api, app: FastAPI, signed_in: Browser, merchant: Merchant, engine: Engine
) -> None:
    seed_products(engine, merchant.id, 3)
    token = _confirm_fields(_preview(signed_in, _csv(["BULK-000000", "BULK-000001"])).text)["token"]
    with TestClient(app) as other_client:
        other_merchant = Browser(other_client, make_user(api, merchant_id=api.merchant().id))
        assert other_merchant.sign_in().status_code == 303
        refused = _confirm(other_merchant, token)
        assert refused.status_code == 410 and "no longer available" in refused.text
    with TestClient(app) as second_client:
        same_user_elsewhere = Browser(second_client, signed_in.email)
        assert same_user_elsewhere.sign_in().status_code == 303
        assert _confirm(same_user_elsewhere, token).status_code == 410
    assert configured_count(engine, merchant.id) == 0
    assert _confirm(signed_in, token).status_code == 303  # still the owner's to apply
    assert configured_count(engine, merchant.id) == 2


def test_an_expired_unknown_or_used_token_changes_nothing(
    signed_in: Browser, merchant: Merchant, engine: Engine, clock: FrozenClock, settings: Settings
) -> None:
    seed_products(engine, merchant.id, 2)
    token = _confirm_fields(_preview(signed_in, _csv(["BULK-000000"])).text)["token"]
    clock.advance(hours=1, minutes=1)
    expired = _confirm(signed_in, token)
    assert expired.status_code == 410 and "Upload the file again" in expired.text
    assert configured_count(engine, merchant.id) == 0 and _kept_files(settings) == []
    assert _confirm(signed_in, "not-a-token").status_code == 410
    assert _confirm(signed_in, "").status_code == 410
    token = _confirm_fields(_preview(signed_in, _csv(["BULK-000001"])).text)["token"]
    assert _confirm(signed_in, token).status_code == 303
    assert _confirm(signed_in, token).status_code == 410  # applied once
    assert configured_count(engine, merchant.id) == 1


def test_a_new_preview_replaces_the_last_and_removes_expired_files(
    api: Api,
    app: FastAPI,
    signed_in: Browser,
    merchant: Merchant,
    engine: Engine,
    clock: FrozenClock,
    settings: Settings,
) -> None:
    seed_products(engine, merchant.id, 2)
    first = _confirm_fields(_preview(signed_in, _csv(["BULK-000000"])).text)["token"]
    second = _confirm_fields(_preview(signed_in, _csv(["BULK-000001"])).text)["token"]
    assert len(_kept_files(settings)) == 1
    assert _confirm(signed_in, first).status_code == 410
    clock.advance(hours=2)
    with TestClient(app) as other_client:
        other = Browser(other_client, make_user(api, merchant_id=api.merchant().id))
        assert other.sign_in().status_code == 303
        _preview(other, _csv(["NOT-THEIRS"]))  # refused (unknown SKU): nothing kept, but expired files go
    assert _kept_files(settings) == []
    assert _confirm(signed_in, second).status_code == 410
    assert configured_count(engine, merchant.id) == 0


def test_a_preview_that_changes_before_confirm_is_checked_again(
    api: Api, signed_in: Browser, merchant: Merchant
) -> None:
    kept, dropped = api.product(merchant), api.product(merchant)
    token = _confirm_fields(_preview(signed_in, _csv([kept["sku"], dropped["sku"]])).text)["token"]
    renamed = api.client.patch(f"/api/v1/products/{dropped['id']}", json={"sku": "RENAMED-1"}, headers=merchant.headers)
    assert renamed.status_code == 200
    refused = _confirm(signed_in, token)
    assert refused.status_code == 422 and "Row 2 (line 3 of the file)" in refused.text
    prefs = api.client.get(f"/api/v1/products/{kept['id']}/return-preferences", headers=merchant.headers).json()
    assert prefs["return_action"] == "Restock"
