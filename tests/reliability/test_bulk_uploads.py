"""Bulk return-preference uploads: bounded SQL per query, a row cap answered with 413, hostile JSON
answered with 400, and database errors that never print bound parameters."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, insert, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from boomerang.adapters.tables import core
from boomerang.bootstrap import make_uow_factory
from boomerang.config import Settings
from boomerang.domain.tenants import Principal, Role
from boomerang.services.products import BULK_CHUNK
from boomerang.services.storage_errors import DatabaseUnavailable
from tests.support.builders import Api, Merchant

V1 = "/api/v1"
BULK = f"{V1}/products/return-preferences/bulk"
MANY = 70_000  # more bound parameters than PostgreSQL (65,535) or SQLite (32,766) take in one statement


def seed_products(engine: Engine, merchant_id: str, count: int) -> list[str]:
    now = datetime(2026, 11, 27, tzinfo=UTC)
    skus = [f"BULK-{i:06d}" for i in range(count)]
    rows = [
        {
            "id": f"prd_bulk{i:022d}",
            "merchant_id": merchant_id,
            "sku": sku,
            "name": sku,
            "barcodes": [],
            "category": "General",
            "is_lot_tracked": False,
            "minimum_shelf_life_days": 0,
            "is_kitted": False,
            "is_sioc": False,
            "is_dangerous_goods": False,
            "return_action": "Restock",
            "rts_action": "Restock",
            "backup_action": "Quarantine",
            "inspection_steps": [],
            "preferences_configured": False,
            "created_at": now,
            "updated_at": now,
        }
        for i, sku in enumerate(skus)
    ]
    with engine.begin() as conn:
        for start in range(0, count, 5_000):
            conn.execute(insert(core.products), rows[start : start + 5_000])
    return skus


def configured_count(engine: Engine, merchant_id: str) -> int:
    with engine.connect() as conn:
        query = "SELECT count(*) FROM products WHERE merchant_id = :m AND preferences_configured"
        return int(conn.execute(text(query), {"m": merchant_id}).scalar_one())


def test_70000_skus_are_looked_up_without_passing_the_databases_parameter_limits(
    api: Api, engine: Engine, session_factory: sessionmaker[Session], settings: Settings
) -> None:
    merchant = api.merchant()
    skus = seed_products(engine, merchant.id, MANY)
    principal = Principal(Role.Merchant, "test", "test", merchant_id=merchant.id)
    with make_uow_factory(session_factory, settings)(principal) as uow:
        found = uow.products.by_skus(merchant.id, [*skus, "NOT-THERE"])
        assert sorted(found) == skus


def test_a_csv_upload_of_more_rows_than_one_query_takes_updates_every_row(
    api: Api, engine: Engine, settings: Settings
) -> None:
    merchant = api.merchant()
    skus = seed_products(engine, merchant.id, 1_200)
    body = "sku,return_action\n" + "".join(f"{sku},Dispose\n" for sku in skus)
    response = api.client.post(BULK, content=body, headers={**merchant.headers, "Content-Type": "text/csv"})
    assert response.status_code == 200, response.text
    assert response.json() == {"updated": 1_200}
    assert configured_count(engine, merchant.id) == 1_200


@pytest.mark.parametrize("bad_row", [None, 2 * BULK_CHUNK, 2 * BULK_CHUNK + 3])
def test_chunks_of_the_real_size_are_one_transaction(api: Api, engine: Engine, bad_row: int | None) -> None:
    """Two full chunks and a few rows more: all updated, or with one unknown SKU at the start of (or inside)
    the third chunk, after two chunks were written, none."""
    merchant = api.merchant()
    skus = seed_products(engine, merchant.id, 2 * BULK_CHUNK + 5)
    if bad_row is not None:
        skus[bad_row] = "NOT-A-PRODUCT"
    body = "sku,return_action\n" + "".join(f"{sku},Dispose\n" for sku in skus)
    response = api.client.post(BULK, content=body, headers={**merchant.headers, "Content-Type": "text/csv"})
    if bad_row is None:
        assert response.status_code == 200, response.text
        assert response.json() == {"updated": len(skus)}
        assert configured_count(engine, merchant.id) == len(skus)
    else:
        assert response.status_code == 422, response.text
        assert [d["field"] for d in response.json()["error"]["details"]] == [f"rows[{bad_row}].sku"]
        assert configured_count(engine, merchant.id) == 0


def over_the_cap(merchant: Merchant, skus: list[str], kind: str) -> dict[str, Any]:
    if kind == "csv":
        body = "sku,return_action\n" + "".join(f"{sku},Dispose\n" for sku in skus)
        return {"content": body, "headers": {**merchant.headers, "Content-Type": "text/csv"}}
    return {"json": {"items": [{"sku": s, "return_action": "Dispose"} for s in skus]}, "headers": merchant.headers}


@pytest.mark.parametrize("kind", ["csv", "json"])
def test_an_upload_over_the_row_cap_is_413_too_many_rows_and_changes_nothing(
    api: Api, engine: Engine, settings: Settings, kind: str
) -> None:
    merchant = api.merchant()
    skus = seed_products(engine, merchant.id, 30)
    settings.max_bulk_rows = 25
    response = api.client.post(BULK, **over_the_cap(merchant, skus, kind))
    assert response.status_code == 413, response.text
    error = response.json()["error"]
    assert error["code"] == "too_many_rows"
    assert "at most 25" in error["message"] and "30" in error["message"]
    assert configured_count(engine, merchant.id) == 0
    settings.max_bulk_rows = 30
    assert api.client.post(BULK, **over_the_cap(merchant, skus, kind)).status_code == 200


HOSTILE_JSON = {
    "deep arrays": b"[" * 100_000,
    "deep objects": b'{"a":' * 50_000,
    "deep but parseable": b'{"items": ' + b"[" * 200 + b"]" * 200 + b"}",
    "5000-digit sku": b'{"items": [{"sku": ' + b"9" * 5_000 + b"}]}",
    "25-digit sku": b'{"items": [{"sku": ' + b"9" * 25 + b"}]}",
}


@pytest.mark.parametrize("body", HOSTILE_JSON.values(), ids=HOSTILE_JSON.keys())
def test_deep_nesting_and_huge_integers_are_400_malformed(api: Api, body: bytes) -> None:
    merchant = api.merchant()
    headers = {**merchant.headers, "Content-Type": "application/json"}
    response = api.client.post(BULK, content=body, headers=headers)
    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] == "malformed_json"


def test_a_database_error_shows_the_statement_but_never_its_parameters(engine: Engine) -> None:
    secret = "whsec_do-not-log-me"
    # SQLite's "no such table" is an OperationalError, which the adapters raise as DatabaseUnavailable
    with pytest.raises((DBAPIError, DatabaseUnavailable)) as caught, engine.connect() as conn:
        conn.execute(text("SELECT CAST(:secret AS INTEGER) FROM no_such_table"), {"secret": secret})
    assert "no_such_table" in str(caught.value)
    assert secret not in str(caught.value)


def test_an_export_of_more_products_than_one_batch_streams_every_row_in_sku_order(api: Api, engine: Engine) -> None:
    """The export reads the catalog in keyset batches (1,000): rows on both sides of a batch boundary."""
    merchant = api.merchant()
    skus = seed_products(engine, merchant.id, 2_345)
    api.product(api.merchant())  # another merchant's product never shows
    response = api.client.get("/api/v1/products/return-preferences/export", headers=merchant.headers)
    assert response.status_code == 200, response.text
    lines = response.text.splitlines()
    assert [line.split(",")[0] for line in lines[1:]] == sorted(skus)
