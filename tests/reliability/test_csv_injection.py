"""CSV exports cannot inject formulas into a spreadsheet (OWASP CSV Injection), and an exported file
can be uploaded again unchanged."""

from __future__ import annotations

import csv
import io

import pytest

from boomerang.spreadsheet_cells import safe_cell, unescape_cell
from tests.factories import Api

V1 = "/api/v1"
DANGEROUS = ['=HYPERLINK("http://x")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\t=1", "\r=1"]


@pytest.mark.parametrize("value", DANGEROUS)
def test_a_cell_that_starts_like_a_formula_is_made_text(value: str) -> None:
    assert safe_cell(value) == "'" + value
    assert unescape_cell(safe_cell(value)) == value


@pytest.mark.parametrize("value", ["SKU-1", "-3.00", "+12", "42", "1.5", "'quoted", ""])
def test_ordinary_text_and_plain_numbers_are_unchanged(value: str) -> None:
    assert safe_cell(value) == value
    assert unescape_cell(value) == value


def test_the_preferences_export_neutralises_skus_and_steps_and_reimports_unchanged(api: Api) -> None:
    merchant = api.merchant()
    for i, sku in enumerate(["=CMD-1", "@SKU-2", "-SKU-3", "PLAIN-4"]):
        prefs = {"inspection_steps": ["=1+1", "+step"]} if i == 0 else {}
        api.product(merchant, sku=sku, return_preferences=prefs)
    export = api.client.get(f"{V1}/products/return-preferences/export", headers=merchant.headers)
    assert export.status_code == 200
    rows = list(csv.reader(io.StringIO(export.text)))
    cells = [cell for row in rows[1:] for cell in row if cell]
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))], cells
    assert [row[0] for row in rows[1:]] == ["'-SKU-3", "'=CMD-1", "'@SKU-2", "PLAIN-4"]
    assert rows[2][4:6] == ["'=1+1", "'+step"]
    headers = {**merchant.headers, "Content-Type": "text/csv"}
    again = api.client.post(f"{V1}/products/return-preferences/bulk", content=export.text.encode(), headers=headers)
    assert again.status_code == 200, again.text
    after = api.client.get(f"{V1}/products/return-preferences/export", headers=merchant.headers)
    assert after.text == export.text
