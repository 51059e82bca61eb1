"""CSV exports cannot inject formulas into a spreadsheet (OWASP CSV Injection) nor split a row, and an
exported file can be uploaded again unchanged.

Every CSV the product writes is listed in CSV_ROUTES; `test_every_csv_route_is_in_the_list` fails when a
new one appears that this file does not export, and `test_only_the_one_writer_writes_csv` when code
writes CSV without `spreadsheet_cells.csv_pieces`."""

from __future__ import annotations

import csv
import inspect
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine, update

import boomerang
from boomerang.adapters.tables.core import fulfillment_centers, products, return_lines, return_orders
from boomerang.adapters.tables.ledger import transactions
from boomerang.spreadsheet_cells import FORMULA_STARTS, csv_line, safe_cell, unescape_cell
from tests.api.dock import completed_return
from tests.errors import assert_error
from tests.support.builders import Api, Merchant
from tests.web.conftest import Browser, make_user

V1 = "/api/v1"
EXPORT = f"{V1}/products/return-preferences/export"
BULK = f"{V1}/products/return-preferences/bulk"
DANGEROUS = ['=HYPERLINK("http://x")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\t=1", "\r=1"]
# Each starts like a formula and holds a character some reader takes for the end of a row.
PAYLOADS = [
    "=cmd|' /C calc'!A0\r=1+1",
    "+1+cmd\n=2",
    "-2+3\r\n@SUM(A1)",
    "@SUM(A1:A9)\x0b=3",
    '\t=HYPERLINK("x")\x85=4',
    "\r=5\u2028=6\x1c=7\x0c",
]
LINE_BREAKERS = ["\r", "\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]


@pytest.mark.parametrize("value", DANGEROUS)
def test_a_cell_that_starts_like_a_formula_is_made_text(value: str) -> None:
    assert safe_cell(value) == "'" + value
    assert unescape_cell(safe_cell(value)) == value


@pytest.mark.parametrize("value", ["SKU-1", "-3.00", "+12", "42", "1.5", "'quoted", ""])
def test_ordinary_text_and_plain_numbers_are_unchanged(value: str) -> None:
    assert safe_cell(value) == value
    assert unescape_cell(value) == value


@pytest.mark.parametrize("breaker", LINE_BREAKERS)
def test_a_cell_with_a_line_breaking_character_is_quoted_and_stays_one_cell(breaker: str) -> None:
    line = csv_line(["a", f"b{breaker}=c", "d"])
    assert f'"b{breaker}=c"' in line and line.endswith("\r\n")
    assert list(csv.reader(io.StringIO(line, newline=""))) == [["a", f"b{breaker}=c", "d"]]


def test_the_preferences_export_neutralises_skus_and_steps_and_reimports_unchanged(api: Api) -> None:
    merchant = api.merchant()
    for i, sku in enumerate(["=CMD-1", "@SKU-2", "-SKU-3", "PLAIN-4"]):
        prefs = {"inspection_steps": ["=1+1", "+step"]} if i == 0 else {}
        api.product(merchant, sku=sku, return_preferences=prefs)
    export = api.client.get(EXPORT, headers=merchant.headers)
    assert export.status_code == 200
    rows = _rows(export.text)
    cells = [cell for row in rows[1:] for cell in row if cell]
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))], cells
    assert [row[0] for row in rows[1:]] == ["'-SKU-3", "'=CMD-1", "'@SKU-2", "PLAIN-4"]
    assert rows[2][4:6] == ["'=1+1", "'+step"]
    headers = {**merchant.headers, "Content-Type": "text/csv"}
    again = api.client.post(BULK, content=export.text.encode(), headers=headers)
    assert again.status_code == 200, again.text
    after = api.client.get(EXPORT, headers=merchant.headers)
    assert after.text == export.text


# --- every CSV the product writes, with merchant text that starts like a formula and breaks lines ---


@dataclass
class Scene:
    """A merchant with products, returns (two completed, one on its way) and fees, signed in on the pages."""

    api: Api
    merchant: Merchant
    page: Browser
    product_ids: list[str]
    return_ids: list[str]
    fc_id: str


def _scene(api: Api) -> Scene:
    merchant = api.merchant()
    fc = api.fulfillment_center()
    operator = api.operator(fc["id"])
    made = [api.product(merchant) for _ in PAYLOADS]
    done = [completed_return(api, merchant, operator, fc["id"], p) for p in made[:2]]
    waiting = api.return_order(merchant, fc["id"], made[2:4])
    page = Browser(api.client, make_user(api, merchant_id=merchant.id))
    assert page.sign_in().status_code == 303
    return Scene(api, merchant, page, [p["id"] for p in made], [r["id"] for r in [*done, waiting]], fc["id"])


def _inject(engine: Engine, scene: Scene) -> None:
    """Rows as stored before SKUs and names refused control characters (or as another client wrote them)."""
    with engine.begin() as conn:
        for i, product_id in enumerate(scene.product_ids):
            named = {"sku": PAYLOADS[i], "name": PAYLOADS[-1 - i]}
            conn.execute(
                update(products).where(products.c.id == product_id).values(**named, inspection_steps=PAYLOADS[:2])
            )
            conn.execute(update(return_lines).where(return_lines.c.product_id == product_id).values(**named))
        for i, return_id in enumerate(scene.return_ids):
            texts = {
                "customer_name": PAYLOADS[i],
                "store_order_id": PAYLOADS[i + 1],
                "tracking_number": PAYLOADS[i + 2],
            }
            conn.execute(update(return_orders).where(return_orders.c.id == return_id).values(**texts))
        conn.execute(
            update(fulfillment_centers).where(fulfillment_centers.c.id == scene.fc_id).values(name=PAYLOADS[3])
        )
        conn.execute(
            update(transactions)
            .where(transactions.c.merchant_id == scene.merchant.id)
            .values(return_id=PAYLOADS[4], work_order_id=PAYLOADS[5])
        )


def _api(path: str) -> Callable[[Scene], Any]:
    return lambda s: s.api.client.get(path, headers=s.merchant.headers)


def _page(path: str) -> Callable[[Scene], Any]:
    return lambda s: s.page.client.get(path)


# Route -> its downloads, and whether merchant text reaches them (returns-per-day and dispositions are counts).
CSV_ROUTES: dict[str, list[tuple[Callable[[Scene], Any], bool]]] = {
    f"{V1}/products/return-preferences/export": [(_api(EXPORT), True)],
    f"{V1}/invoices/{{period}}.csv": [(_api(f"{V1}/invoices/2026-11.csv"), True)],
    "/products/bulk/preferences.csv": [(_page("/products/bulk/preferences.csv"), True)],
    "/returns/export.csv": [(_page("/returns/export.csv"), True)],
    "/billing/invoices/{period}.csv": [(_page("/billing/invoices/2026-11.csv"), True)],
    "/overview/{chart}.csv": [
        (_page("/overview/returns-per-day.csv?days=90"), False),
        (_page("/overview/dispositions.csv?days=90"), False),
        (_page("/overview/top-skus.csv"), True),
        (_page("/overview/processing-times.csv"), True),
    ],
}


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def _is_formula(cell: str) -> bool:
    return cell.startswith(FORMULA_STARTS) and safe_cell(cell) != cell


def _get_routes(app: FastAPI) -> Iterator[tuple[str, Callable[..., Any]]]:
    """(path, handler) of every GET route of the app, inside included routers too."""
    for entry in app.routes:
        contexts = entry.effective_route_contexts() if hasattr(entry, "effective_route_contexts") else [entry]
        for route in contexts:
            if "GET" in (getattr(route, "methods", None) or ()) and hasattr(route, "endpoint"):
                yield route.path, route.endpoint


def test_every_csv_route_is_in_the_list(app: FastAPI) -> None:
    """A GET route whose path or handler speaks of CSV or exports is one of CSV_ROUTES."""
    found = {
        path
        for path, handler in _get_routes(app)
        if ".csv" in path or "export" in path or "csv" in inspect.getsource(handler).lower()
    }
    assert found == set(CSV_ROUTES)


def test_only_the_one_writer_writes_csv() -> None:
    """No module but spreadsheet_cells formats CSV, so no export can skip its two rules."""
    source = Path(boomerang.__file__).parent
    writers = [
        str(path.relative_to(source))
        for path in source.rglob("*.py")
        if path.name != "spreadsheet_cells.py"
        and any(word in path.read_text() for word in ("csv.writer", "DictWriter", "writerow", "QUOTE_"))
    ]
    assert writers == []


def test_every_csv_keeps_its_rows_and_neutralises_formulas_and_line_breaks(api: Api, engine: Engine) -> None:
    scene = _scene(api)
    downloads = [download for route in CSV_ROUTES.values() for download in route]
    before = []
    for download, _ in downloads:
        response = download(scene)
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
        before.append(_rows(response.text))
    _inject(engine, scene)
    for (download, carries_text), clean in zip(downloads, before, strict=True):
        rows = _rows(download(scene).text)
        assert len(rows) == len(clean) and [len(r) for r in rows] == [len(r) for r in clean], rows
        cells = [cell for row in rows for cell in row]
        assert not [c for c in cells if _is_formula(c)], rows
        neutralised = [c for c in cells if c.startswith("'") and unescape_cell(c) in PAYLOADS]
        assert bool(neutralised) == carries_text, rows


def test_a_stored_sku_with_control_characters_exports_and_imports_back_unchanged(api: Api, engine: Engine) -> None:
    scene = _scene(api)
    _inject(engine, scene)
    exported = api.client.get(EXPORT, headers=scene.merchant.headers).text
    assert len(_rows(exported)) == 1 + len(PAYLOADS)
    headers = {**scene.merchant.headers, "Content-Type": "text/csv"}
    again = api.client.post(BULK, content=exported.encode(), headers=headers)
    assert again.status_code == 200 and again.json() == {"updated": len(PAYLOADS)}, again.text
    assert api.client.get(EXPORT, headers=scene.merchant.headers).text == exported


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("sku", "SKU-\r=cmd"),
        ("sku", "SKU-\n1"),
        ("sku", "SKU\x0b1"),
        ("sku", "SKU\x85"),
        ("sku", "SKU\u20281"),
        ("sku", "SKU\u202e1"),  # right-to-left override: a SKU that reads as another
        ("sku", "SKU\t1"),
        ("name", "Tent\r=cmd"),
        ("name", "Tent\x1b[31m"),
        ("barcodes", ["0810\n001"]),
    ],
)
def test_a_product_with_control_characters_is_refused(api: Api, field: str, value: Any) -> None:
    merchant = api.merchant()
    body = {"sku": "CTRL-1", "name": "Tent", field: value}
    where = "barcodes[0]" if field == "barcodes" else field
    error = assert_error(
        api.client.post(f"{V1}/products", json=body, headers=merchant.headers), 422, "validation_error", where
    )
    assert "control characters" in str(error["details"])
    product = api.product(merchant)
    changed = api.client.patch(f"{V1}/products/{product['id']}", json={field: value}, headers=merchant.headers)
    assert_error(changed, 422, "validation_error", where)


def test_a_name_may_hold_a_zero_width_joiner(api: Api) -> None:
    merchant = api.merchant()
    assert api.product(merchant, name="Family tent \U0001f468\u200d\U0001f469\u200d\U0001f467")["name"].endswith(
        "\U0001f467"
    )
