"""Bulk return preferences from JSON or CSV: all rows or none, with per-row errors; CSV export."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from tests.errors import assert_error
from tests.support.builders import Api, Merchant

V1 = "/api/v1"
BULK = f"{V1}/products/return-preferences/bulk"
EXPORT = f"{V1}/products/return-preferences/export"
HEADER = "sku,return_action,rts_action,backup_action,inspection_step_1,inspection_step_2,inspection_step_3"


def prefs(api: Api, merchant: Merchant, product: dict[str, Any]) -> dict[str, Any]:
    """The saved preferences (without the warehouse's fixed list of inspection limitations)."""
    body = api.client.get(f"{V1}/products/{product['id']}/return-preferences", headers=merchant.headers).json()
    body.pop("inspection_limitations")
    return dict(body)


def post_csv(api: Api, merchant: Merchant, text: str) -> Any:
    return api.client.post(BULK, content=text.encode(), headers={**merchant.headers, "Content-Type": "text/csv"})


def fields_of(response: Any) -> list[str]:
    return [d["field"] for d in response.json()["error"]["details"]]


def test_json_rows_update_only_the_given_fields_and_mark_configured(api: Api) -> None:
    merchant = api.merchant()
    a = api.product(merchant, sku="A-1", return_preferences={"rts_action": "Dispose"})
    b = api.product(merchant, sku="B-1")
    items = [
        {"sku": "A-1", "return_action": "Quarantine"},
        {"sku": "B-1", "backup_action": "Dispose", "inspection_steps": ["Sealed", "Clean"]},
    ]
    response = api.client.post(BULK, json={"items": items}, headers=merchant.headers)
    assert response.status_code == 200, response.text
    assert response.json() == {"updated": 2}
    assert prefs(api, merchant, a) == {
        "return_action": "Quarantine",
        "rts_action": "Dispose",
        "backup_action": "Quarantine",
        "inspection_steps": [],
        "preferences_configured": True,
    }
    assert prefs(api, merchant, b) == {
        "return_action": "Restock",
        "rts_action": "Restock",
        "backup_action": "Dispose",
        "inspection_steps": ["Sealed", "Clean"],
        "preferences_configured": True,
    }


def test_one_bad_json_row_rejects_every_row_with_per_row_details(api: Api) -> None:
    merchant = api.merchant()
    good = api.product(merchant, sku="GOOD-1")
    api.product(merchant, sku="BAD-1")
    api.product(merchant, sku="BAD-2")
    before = prefs(api, merchant, good)
    items = [
        {"sku": "GOOD-1", "return_action": "Dispose"},
        {"sku": "BAD-1", "return_action": "Recycle"},
        {"sku": "NOPE-1"},
        {"sku": "BAD-2", "backup_action": "Restock"},
        {"sku": "GOOD-1"},
    ]
    response = api.client.post(BULK, json={"items": items}, headers=merchant.headers)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"
    assert fields_of(response) == ["items[1].return_action", "items[2].sku", "items[3].backup_action", "items[4].sku"]
    assert prefs(api, merchant, good) == before


def test_too_many_or_too_long_steps_are_reported_by_row(api: Api) -> None:
    merchant = api.merchant()
    api.product(merchant, sku="S-1")
    api.product(merchant, sku="S-2")
    items = [{"sku": "S-1", "inspection_steps": ["a", "b", "c", "d"]}, {"sku": "S-2", "inspection_steps": ["x" * 201]}]
    response = api.client.post(BULK, json={"items": items}, headers=merchant.headers)
    assert_error(response, 422, "validation_error", "items[0].inspection_steps", "items[1].inspection_steps[0]")
    assert fields_of(response) == ["items[0].inspection_steps", "items[1].inspection_steps[0]"]


def test_another_merchants_skus_are_unknown(api: Api) -> None:
    owner, other = api.merchant(), api.merchant()
    product = api.product(owner, sku="OWN-1")
    response = api.client.post(
        BULK, json={"items": [{"sku": "OWN-1", "return_action": "Dispose"}]}, headers=other.headers
    )
    assert_error(response, 422, "validation_error", "items[0].sku")
    assert fields_of(response) == ["items[0].sku"]
    assert prefs(api, owner, product)["return_action"] == "Restock"


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (b"{", 400, "malformed_json"),
        (b"", 400, "malformed_json"),
        (b"[]", 422, "validation_error"),
        (b'"items"', 422, "validation_error"),
        (b"null", 422, "validation_error"),
        (b'{"items": []}', 422, "validation_error"),
        (b'{"items": [{"return_action": "Dispose"}]}', 422, "validation_error"),
        (b'{"items": [{"sku": 7}]}', 422, "validation_error"),
    ],
)
def test_malformed_or_shapeless_json_is_refused(api: Api, body: bytes, status: int, code: str) -> None:
    merchant = api.merchant()
    headers = {**merchant.headers, "Content-Type": "application/json"}
    response = api.client.post(BULK, content=body, headers=headers)
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code


def test_csv_rows_update_preferences(api: Api) -> None:
    merchant = api.merchant()
    a = api.product(merchant, sku="A-1")
    b = api.product(merchant, sku="B-1", return_preferences={"inspection_steps": ["Old step"]})
    text = f"{HEADER}\nA-1,Dispose,Quarantine,Dispose,Check seal,Check tags,\nB-1,,,,,,\n"
    response = post_csv(api, merchant, text)
    assert response.status_code == 200, response.text
    assert response.json() == {"updated": 2}
    assert prefs(api, merchant, a) == {
        "return_action": "Dispose",
        "rts_action": "Quarantine",
        "backup_action": "Dispose",
        "inspection_steps": ["Check seal", "Check tags"],
        "preferences_configured": True,
    }
    # Empty step columns clear the steps; empty action columns keep the current action.
    assert prefs(api, merchant, b)["inspection_steps"] == []
    assert prefs(api, merchant, b)["return_action"] == "Restock"


def test_a_csv_without_step_columns_keeps_the_steps(api: Api) -> None:
    merchant = api.merchant()
    product = api.product(merchant, sku="KEEP-1", return_preferences={"inspection_steps": ["Keep me"]})
    response = post_csv(api, merchant, "sku,return_action\nKEEP-1,Quarantine\n")
    assert response.status_code == 200
    assert prefs(api, merchant, product)["inspection_steps"] == ["Keep me"]


def test_one_bad_csv_row_rejects_the_file_with_row_details(api: Api) -> None:
    merchant = api.merchant()
    product = api.product(merchant, sku="A-1")
    text = f"{HEADER}\nA-1,Dispose,,,,,\nA-2,Restock,,,,,\nA-1,Sometimes,,,,,\n"
    response = post_csv(api, merchant, text)
    assert_error(response, 422, "validation_error", "rows[1].sku", "rows[2].sku")
    assert fields_of(response) == ["rows[1].sku", "rows[2].sku"]
    response = post_csv(api, merchant, f"{HEADER}\nA-1,Dispose,Burn,Restock,,,\n")
    assert fields_of(response) == ["rows[0].rts_action", "rows[0].backup_action"]
    assert prefs(api, merchant, product)["preferences_configured"] is False


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("return_action\nDispose\n", "invalid_csv"),
        ("sku,colour\nA-1,red\n", "invalid_csv"),
        ("", "invalid_csv"),
        (f"{HEADER}\n", "validation_error"),
        ("sku\nA\x00B\n", "invalid_csv"),
    ],
)
def test_csv_with_a_bad_header_or_no_rows_is_422(api: Api, text: str, code: str) -> None:
    merchant = api.merchant()
    response = post_csv(api, merchant, text)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == code


def test_csv_that_is_not_utf8_is_422(api: Api) -> None:
    merchant = api.merchant()
    response = api.client.post(
        BULK, content=b"sku\n\xff\xfe\n", headers={**merchant.headers, "Content-Type": "text/csv"}
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_csv"


def test_export_lists_every_product_with_the_bulk_columns(api: Api) -> None:
    merchant = api.merchant()
    api.product(merchant, sku="B-2", return_preferences={"inspection_steps": ["One, with comma", 'Two "quoted"']})
    api.product(merchant, sku="A-2")
    api.product(api.merchant(), sku="OTHER-1")
    response = api.client.get(EXPORT, headers=merchant.headers)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows == [
        HEADER.split(","),
        ["A-2", "Restock", "Restock", "Quarantine", "", "", ""],
        ["B-2", "Restock", "Restock", "Quarantine", "One, with comma", 'Two "quoted"', ""],
    ]


def test_exported_csv_imports_back_unchanged(api: Api) -> None:
    merchant = api.merchant()
    for i, steps in enumerate([[], ["Seal"], ["a, b", 'say "hi"', "three"]]):
        api.product(
            merchant,
            sku=f"RT-{i}",
            return_preferences={"return_action": "Quarantine", "backup_action": "Dispose", "inspection_steps": steps},
        )
    exported = api.client.get(EXPORT, headers=merchant.headers).text
    response = post_csv(api, merchant, exported)
    assert response.status_code == 200
    assert response.json() == {"updated": 3}
    assert api.client.get(EXPORT, headers=merchant.headers).text == exported


def test_export_of_a_merchant_without_products_is_just_the_header(api: Api) -> None:
    merchant = api.merchant()
    assert api.client.get(EXPORT, headers=merchant.headers).text == HEADER + "\r\n"


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_csv_with_windows_or_old_mac_line_endings_is_read(api: Api, newline: str) -> None:
    merchant = api.merchant()
    product = api.product(merchant, sku="NL-1")
    response = post_csv(api, merchant, f"sku,return_action{newline}NL-1,Dispose{newline}")
    assert response.status_code == 200, response.text
    assert prefs(api, merchant, product)["return_action"] == "Dispose"


# Chunks: the use case reads and writes BULK_CHUNK rows at a time, all in one transaction. A chunk of
# 3 rows puts every boundary within a few rows (the real size is covered in tests/reliability).


@pytest.fixture
def chunk_of_3(monkeypatch: pytest.MonkeyPatch) -> int:
    from boomerang.services import products

    monkeypatch.setattr(products, "BULK_CHUNK", 3)
    return 3


def product_state(api: Api, merchant: Merchant, product: dict[str, Any]) -> tuple[dict[str, Any], str]:
    body = api.client.get(f"{V1}/products/{product['id']}", headers=merchant.headers).json()
    return body["return_preferences"], body["updated_at"]


@pytest.mark.parametrize("rows", [3, 6, 7])
def test_exact_chunk_multiples_and_one_over_update_every_row(api: Api, chunk_of_3: int, rows: int) -> None:
    merchant = api.merchant()
    made = [api.product(merchant, sku=f"CH-{i}") for i in range(rows)]
    other = api.product(merchant, sku="NOT-IN-FILE")
    untouched = product_state(api, merchant, other)
    text = "sku,return_action\n" + "".join(f"CH-{i},Dispose\n" for i in range(rows))
    response = post_csv(api, merchant, text)
    assert response.status_code == 200, response.text
    assert response.json() == {"updated": rows}
    for product in made:
        preferences, updated_at = product_state(api, merchant, product)
        assert preferences["return_action"] == "Dispose" and preferences["preferences_configured"] is True
        assert updated_at > product["updated_at"]
    assert product_state(api, merchant, other) == untouched


@pytest.mark.parametrize("bad_row", [3, 5, 6])
def test_a_bad_row_in_a_later_chunk_changes_nothing_in_the_earlier_ones(
    api: Api, chunk_of_3: int, bad_row: int
) -> None:
    """Rows 0-2 are written before row 3 (2nd chunk) or 6 (3rd) is read: the whole upload still rolls back."""
    merchant = api.merchant()
    made = [api.product(merchant, sku=f"RB-{i}") for i in range(7)]
    before = [product_state(api, merchant, p) for p in made]
    lines = [f"RB-{i},{'Recycle' if i == bad_row else 'Dispose'}" for i in range(7)]
    response = post_csv(api, merchant, "sku,return_action\n" + "\n".join(lines) + "\n")
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "validation_error"
    assert fields_of(response) == [f"rows[{bad_row}].return_action"]
    assert [product_state(api, merchant, p) for p in made] == before


def test_errors_in_every_chunk_are_all_reported_with_their_row_numbers(api: Api, chunk_of_3: int) -> None:
    merchant = api.merchant()
    made = [api.product(merchant, sku=f"ER-{i}") for i in range(6)]
    items = [
        {"sku": "ER-0", "return_action": "Dispose"},
        {"sku": "NOPE"},  # unknown, 1st chunk
        {"sku": "ER-2"},
        {"sku": "ER-0"},  # given again in the 2nd chunk
        {"sku": "ER-4", "rts_action": "Burn"},
        {"sku": "ER-5"},
        {"sku": "ER-1", "inspection_steps": ["a", "b", "c", "d"]},  # 3rd chunk
    ]
    response = api.client.post(BULK, json={"items": items}, headers=merchant.headers)
    assert_error(response, 422, "validation_error", "items[1].sku", "items[3].sku")
    assert fields_of(response) == [
        "items[1].sku",
        "items[3].sku",
        "items[4].rts_action",
        "items[6].inspection_steps",
    ]
    assert response.json()["error"]["message"] == "4 problem(s) in the rows; nothing was changed"
    assert all(prefs(api, merchant, p)["preferences_configured"] is False for p in made)


def test_rows_that_give_different_columns_in_one_chunk_each_keep_the_others(api: Api, chunk_of_3: int) -> None:
    merchant = api.merchant()
    a = api.product(merchant, sku="MX-A", return_preferences={"rts_action": "Dispose", "inspection_steps": ["Keep"]})
    b = api.product(merchant, sku="MX-B", return_preferences={"return_action": "Quarantine"})
    c = api.product(merchant, sku="MX-C", return_preferences={"backup_action": "Dispose"})
    items = [
        {"sku": "MX-A", "return_action": "Dispose"},
        {"sku": "MX-B", "inspection_steps": ["New"]},
        {"sku": "MX-C"},
    ]
    response = api.client.post(BULK, json={"items": items}, headers=merchant.headers)
    assert response.json() == {"updated": 3}
    assert prefs(api, merchant, a) == {
        "return_action": "Dispose",
        "rts_action": "Dispose",
        "backup_action": "Quarantine",
        "inspection_steps": ["Keep"],
        "preferences_configured": True,
    }
    assert prefs(api, merchant, b) == {
        "return_action": "Quarantine",
        "rts_action": "Restock",
        "backup_action": "Quarantine",
        "inspection_steps": ["New"],
        "preferences_configured": True,
    }
    assert prefs(api, merchant, c) == {
        "return_action": "Restock",
        "rts_action": "Restock",
        "backup_action": "Dispose",
        "inspection_steps": [],
        "preferences_configured": True,
    }


def test_a_csv_with_blank_lines_a_bom_and_short_rows_is_read_as_before(api: Api, chunk_of_3: int) -> None:
    merchant = api.merchant()
    a = api.product(merchant, sku="BL-A", return_preferences={"inspection_steps": ["Old"]})
    b = api.product(merchant, sku="BL-B")
    text = f"\ufeff{HEADER}\n\nBL-A,Dispose\n\n\nBL-B,,,,Seal\n"
    response = post_csv(api, merchant, text)
    assert response.status_code == 200, response.text
    assert response.json() == {"updated": 2}
    assert prefs(api, merchant, a)["inspection_steps"] == []  # step columns given (empty): cleared
    assert prefs(api, merchant, a)["return_action"] == "Dispose"
    assert prefs(api, merchant, b)["inspection_steps"] == ["Seal"]


def test_with_an_idempotency_key_a_bad_later_chunk_still_changes_nothing(api: Api, chunk_of_3: int) -> None:
    """Inside a request's transaction (Idempotency-Key) the use case runs in a savepoint: rolled back too."""
    merchant = api.merchant()
    made = [api.product(merchant, sku=f"IK-{i}") for i in range(5)]
    text = "sku,return_action\n" + "".join(f"IK-{i},{'Burn' if i == 4 else 'Dispose'}\n" for i in range(5))
    headers = {**merchant.headers, "Content-Type": "text/csv", "Idempotency-Key": "bulk-ik-1"}
    response = api.client.post(BULK, content=text.encode(), headers=headers)
    assert response.status_code == 422, response.text
    assert fields_of(response) == ["rows[4].return_action"]
    assert all(prefs(api, merchant, p)["preferences_configured"] is False for p in made)
    fixed = text.replace("Burn", "Dispose").encode()
    headers["Idempotency-Key"] = "bulk-ik-2"
    assert api.client.post(BULK, content=fixed, headers=headers).json() == {"updated": 5}
    assert all(prefs(api, merchant, p)["return_action"] == "Dispose" for p in made)
