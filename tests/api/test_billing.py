"""Fees and invoices: fee schedules, daily quarantine accrual (idempotent), transactions, monthly invoices."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pypdf
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from boomerang.bootstrap import make_uow_factory
from boomerang.config import Settings, get_settings
from boomerang.domain.errors import ValidationFailed
from boomerang.entrypoints import worker
from boomerang.entrypoints.cli import app as cli
from boomerang.services import accrual
from boomerang.services.auth import SYSTEM
from tests.api.stock import put_in_quarantine
from tests.errors import assert_error
from tests.support.builders import Api, FrozenClock, Merchant

FEES = ("return_processing_fee", "quarantine_storage_fee_per_unit_day", "disposal_fee_per_unit", "removal_fee_per_unit")


def _usd(amount: str) -> dict[str, str]:
    return {"amount": amount, "currency_code": "USD"}


def _schedule(**overrides: dict[str, str]) -> dict[str, Any]:
    return {**dict(zip(FEES, map(_usd, ("3.00", "0.05", "0.00", "0.00")), strict=True)), **overrides}


def _accrue(session_factory: sessionmaker[Session], clock: FrozenClock, settings: Settings, day: date) -> int:
    """One accrual run in its own unit of work, as a fresh process would."""
    with make_uow_factory(session_factory, settings, clock)(SYSTEM) as uow:
        return accrual.accrue_quarantine_storage(uow, day=day).charged


def _fees(client: TestClient, merchant: Merchant) -> list[tuple[str, str]]:
    params = {"transaction_type": "QuarantineStorageFee"}
    items = client.get("/api/v1/transactions", params=params, headers=merchant.headers).json()["items"]
    return sorted((t["created_at"], t["amount"]["amount"]) for t in items)


def test_fee_schedule_defaults_then_admin_sets_it(api: Api, client: TestClient) -> None:
    merchant = api.merchant()
    url = f"/api/v1/admin/merchants/{merchant.id}/fee-schedule"
    assert client.get(url, headers=api.admin).json()["return_processing_fee"] == _usd("3.00")
    body = _schedule(return_processing_fee=_usd("2.5"), disposal_fee_per_unit=_usd("0.40"))
    response = client.put(url, json=body, headers=api.admin)
    assert response.status_code == 200, response.text
    assert response.json()["return_processing_fee"] == _usd("2.50")
    assert client.get(url, headers=api.admin).json() == response.json()


def test_fee_schedule_must_use_the_merchants_currency(api: Api, client: TestClient) -> None:
    merchant = api.merchant()
    url = f"/api/v1/admin/merchants/{merchant.id}/fee-schedule"
    euros = _schedule(removal_fee_per_unit={"amount": "1.00", "currency_code": "EUR"})
    response = client.put(url, json=euros, headers=api.admin)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "currency_mismatch"
    assert response.json()["error"]["details"][0]["field"] == "removal_fee_per_unit.currency_code"
    negative = client.put(url, json=_schedule(disposal_fee_per_unit=_usd("-1.00")), headers=api.admin)
    assert_error(negative, 422, "validation_error", "disposal_fee_per_unit.amount")
    assert_error(client.put(url, json=_schedule(), headers=merchant.headers), 403, "forbidden")
    unknown = client.put("/api/v1/admin/merchants/mch_nope/fee-schedule", json=_schedule(), headers=api.admin)
    assert_error(unknown, 404, "merchant_not_found")


def test_quarantine_storage_accrues_once_per_unit_per_day(
    api: Api,
    client: TestClient,
    session_factory: sessionmaker[Session],
    clock: FrozenClock,
    settings: Settings,
) -> None:
    merchant, fc, _ = api.setup()
    product = api.product(merchant)
    put_in_quarantine(
        session_factory, clock, merchant_id=merchant.id, product_id=product["id"], fc_id=fc["id"], quantity=4
    )
    first_day = clock.now.date()
    clock.advance(days=1)
    assert _accrue(session_factory, clock, settings, first_day) == 1
    assert _accrue(session_factory, clock, settings, first_day) == 0  # same day again: nothing more
    clock.advance(days=1)
    assert _accrue(session_factory, clock, settings, first_day) == 0  # a later "restart" re-running it: nothing
    assert _accrue(session_factory, clock, settings, date.fromordinal(first_day.toordinal() + 1)) == 1
    assert _fees(client, merchant) == [("2026-11-27T23:59:59Z", "0.20"), ("2026-11-28T23:59:59Z", "0.20")]
    before_stock = date.fromordinal(first_day.toordinal() - 1)
    assert _accrue(session_factory, clock, settings, before_stock) == 0


def test_a_lot_held_with_two_expiries_is_charged_once_for_all_its_units(
    api: Api,
    client: TestClient,
    session_factory: sessionmaker[Session],
    clock: FrozenClock,
    settings: Settings,
) -> None:
    merchant, fc, _ = api.setup()
    product = api.product(merchant, is_lot_tracked=True)
    for quantity, expiry in ((3, date(2027, 3, 1)), (1, date(2027, 9, 1))):
        put_in_quarantine(
            session_factory,
            clock,
            merchant_id=merchant.id,
            product_id=product["id"],
            fc_id=fc["id"],
            quantity=quantity,
            lot_number="L-7",
            expiration_date=expiry,
        )
    day = clock.now.date()
    clock.advance(days=1)
    assert _accrue(session_factory, clock, settings, day) == 1
    assert _accrue(session_factory, clock, settings, day) == 0
    assert _fees(client, merchant) == [("2026-11-27T23:59:59Z", "0.20")]  # 4 units x 0.05


def test_accrual_refuses_a_day_that_is_not_over(
    session_factory: sessionmaker[Session], clock: FrozenClock, settings: Settings
) -> None:
    with pytest.raises(ValidationFailed) as error:
        _accrue(session_factory, clock, settings, clock.now.date())
    assert error.value.code == "day_not_finished"


def test_worker_catches_up_missed_days_once(
    api: Api,
    client: TestClient,
    session_factory: sessionmaker[Session],
    clock: FrozenClock,
    settings: Settings,
) -> None:
    merchant, fc, _ = api.setup()
    product = api.product(merchant)
    put_in_quarantine(
        session_factory, clock, merchant_id=merchant.id, product_id=product["id"], fc_id=fc["id"], quantity=3
    )
    clock.advance(days=3)
    job = next(job for job in worker.JOBS if job.name == "fee_accrual")
    ctx = worker.WorkerContext(session_factory, settings, clock)
    assert worker.run_once(ctx, [job]) == {"fee_accrual": 3}
    assert worker.run_once(worker.WorkerContext(session_factory, settings, clock), [job]) == {"fee_accrual": 0}
    assert [amount for _, amount in _fees(client, merchant)] == ["0.15"] * 3


@pytest.mark.several_connections
def test_cli_accrues_a_day_once(
    api: Api,
    client: TestClient,
    session_factory: sessionmaker[Session],
    clock: FrozenClock,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    merchant, fc, _ = api.setup()
    product = api.product(merchant)
    at = datetime(2026, 1, 10, 12, tzinfo=UTC)
    put_in_quarantine(
        session_factory, clock, merchant_id=merchant.id, product_id=product["id"], fc_id=fc["id"], quantity=2, at=at
    )
    monkeypatch.setenv("BOOMERANG_DATABASE_URL", settings.effective_database_url)
    monkeypatch.setenv("BOOMERANG_DATA_DIR", str(settings.data_dir))
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        first = runner.invoke(cli, ["billing", "accrue", "--date", "2026-01-10"])
        second = runner.invoke(cli, ["billing", "accrue", "--date", "2026-01-10"])
        bad = runner.invoke(cli, ["billing", "accrue", "--date", "2999-01-01"])
    finally:
        get_settings.cache_clear()
    assert first.exit_code == 0 and "1 new" in first.output, first.output
    assert second.exit_code == 0 and "0 new" in second.output, second.output
    assert bad.exit_code == 1
    assert _fees(client, merchant) == [("2026-01-10T23:59:59Z", "0.10")]


def _billable_month(api: Api, client: TestClient, session_factory: Any, clock: FrozenClock, settings: Any) -> Merchant:
    """A merchant with label purchases, a disposal fee and quarantine accruals in November 2026."""
    merchant, fc, operator = api.setup()
    schedule = _schedule(disposal_fee_per_unit=_usd("0.35"), quarantine_storage_fee_per_unit_day=_usd("0.25"))
    put = client.put(f"/api/v1/admin/merchants/{merchant.id}/fee-schedule", json=schedule, headers=api.admin)
    assert put.status_code == 200, put.text
    origin = {"name": "Jo", "line1": "1 Main", "city": "Austin", "postal_code": "73301", "country": "US"}
    for _ in range(2):
        order = api.return_order(merchant, fc["id"])
        label = {"type": "Optimized", "origin_address": origin}
        assert (
            client.post(f"/api/v1/returns/{order['id']}/label", json=label, headers=merchant.headers).status_code == 201
        )
    product = api.product(merchant)
    put_in_quarantine(
        session_factory, clock, merchant_id=merchant.id, product_id=product["id"], fc_id=fc["id"], quantity=3
    )
    items = [{"product_id": product["id"], "quantity": 1}]
    body = {"type": "Disposal", "fulfillment_center_id": fc["id"], "items": items}
    work_order = client.post("/api/v1/work-orders", json=body, headers=merchant.headers).json()
    client.post(f"/api/v1/work-orders/{work_order['id']}/complete", headers=operator.headers)
    clock.advance(days=4)  # December 1st: November 27..30 are over
    for day in range(27, 31):
        _accrue(session_factory, clock, settings, date(2026, 11, day))
    return merchant


def test_invoice_total_is_the_sum_of_the_months_transactions(
    api: Api, client: TestClient, session_factory: sessionmaker[Session], clock: FrozenClock, settings: Settings
) -> None:
    merchant = _billable_month(api, client, session_factory, clock, settings)
    invoice = client.get("/api/v1/invoices", params={"period": "2026-11"}, headers=merchant.headers)
    assert invoice.status_code == 200, invoice.text
    body = invoice.json()
    lines = {line["transaction_type"]: (line["count"], line["amount"]["amount"]) for line in body["lines"]}
    assert lines["DisposalFee"] == (1, "0.35")
    assert lines["QuarantineStorageFee"] == (4, "2.00")  # 2 units (3 minus 1 disposed) x 0.25 x 4 days
    assert lines["ReturnLabelInvoice"][0] == 2
    txs = client.get("/api/v1/transactions", params={"limit": 200}, headers=merchant.headers).json()["items"]
    november = [t for t in txs if t["created_at"].startswith("2026-11")]
    assert Decimal(body["total"]["amount"]) == sum(Decimal(t["amount"]["amount"]) for t in november)
    assert body["period"] == "2026-11" and body["total"]["currency_code"] == "USD"
    empty = client.get("/api/v1/invoices", params={"period": "2026-10"}, headers=merchant.headers).json()
    assert empty["lines"] == [] and empty["total"] == _usd("0.00")


def test_invoice_exports_as_csv_and_pdf(
    api: Api, client: TestClient, session_factory: sessionmaker[Session], clock: FrozenClock, settings: Settings
) -> None:
    merchant = _billable_month(api, client, session_factory, clock, settings)
    total = client.get("/api/v1/invoices", params={"period": "2026-11"}, headers=merchant.headers).json()["total"]
    exported = client.get("/api/v1/invoices/2026-11.csv", headers=merchant.headers)
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert len(rows) == 7
    assert sum(Decimal(r["amount"]) for r in rows) == Decimal(total["amount"])
    pdf = client.get("/api/v1/invoices/2026-11.pdf", headers=merchant.headers)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Invoice 2026-11" in text and total["amount"] in text and "QuarantineStorageFee" in text


def test_invoice_period_must_be_a_month(api: Api, client: TestClient) -> None:
    merchant = api.merchant()
    for period in ("2026-13", "2026-1", "November"):
        response = client.get("/api/v1/invoices", params={"period": period}, headers=merchant.headers)
        assert_error(response, 422, "invalid_period", "period")
    assert_error(client.get("/api/v1/invoices/2026-13.csv", headers=merchant.headers), 422, "invalid_period", "period")


def test_transactions_filter_and_paginate(
    api: Api, client: TestClient, session_factory: sessionmaker[Session], clock: FrozenClock, settings: Settings
) -> None:
    merchant = _billable_month(api, client, session_factory, clock, settings)
    url = "/api/v1/transactions"
    labels = client.get(url, params={"transaction_type": "ReturnLabelInvoice"}, headers=merchant.headers).json()
    assert len(labels["items"]) == 2
    one_return = labels["items"][0]["return_id"]
    by_return = client.get(url, params={"return_id": one_return}, headers=merchant.headers).json()["items"]
    assert [t["id"] for t in by_return] == [labels["items"][0]["id"]]
    day = client.get(url, params={"start_date": "2026-11-29", "end_date": "2026-11-29"}, headers=merchant.headers)
    assert [t["created_at"] for t in day.json()["items"]] == ["2026-11-29T23:59:59Z"]
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        page = client.get(url, params=params, headers=merchant.headers).json()
        seen += [t["id"] for t in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 7 and seen == sorted(seen, reverse=True)
    assert client.get(url, headers=api.merchant().headers).json()["items"] == []
