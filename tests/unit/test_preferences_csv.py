"""The bulk-preferences CSV reader: streamed, with the whole-file refusals in their old order."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from boomerang.domain.errors import ValidationFailed
from boomerang.entrypoints.preferences_csv import PreferenceCsv, parse_preferences_csv
from boomerang.services.products import PreferenceRow

HEADER = "sku,return_action,rts_action,backup_action,inspection_step_1,inspection_step_2,inspection_step_3"


def refusal(data: bytes) -> str:
    with pytest.raises(ValidationFailed) as refused:
        PreferenceCsv.of_bytes(data).check()
    assert refused.value.code == "invalid_csv"
    return refused.value.message


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"colour\nred\n\xff\n", "the CSV must be UTF-8"),  # encoding before the header
        (b'sku\n"unclosed\x00\n\xff', "the CSV must be UTF-8"),  # ... and before NUL and syntax
        (b'colour\n"x"y\nA\x00\n', "the CSV contains NUL characters"),  # NUL after a syntax error
        (b'colour\n"' + b"x" * 200_000 + b'"\n', "the CSV cannot be read: field larger than field limit (131072)"),
        (b"return_action\nDispose\n", "the CSV needs a header row with a sku column"),
        (b"", "the CSV needs a header row with a sku column"),
        (b"sku,colour,size\nA,red,S\n", "unknown CSV columns: colour, size"),
    ],
)
def test_whole_file_refusals_come_in_their_old_order(data: bytes, message: str) -> None:
    assert refusal(data) == message


def test_check_counts_rows_without_blank_lines_and_rows_reads_them_like_dictreader() -> None:
    data = f"\ufeff{HEADER},sku\n\nA,Dispose,,,'=SUM(1),,\n\nB\n C ,,Quarantine,,,,,X\n".encode()
    upload = PreferenceCsv.of_bytes(data)
    assert upload.check() == 3
    assert list(upload.rows()) == [
        PreferenceRow("", "Dispose", None, None, ("=SUM(1)",)),  # the repeated sku column (last) is empty
        PreferenceRow("", None, None, None, ()),
        PreferenceRow("X", None, "Quarantine", None, ()),
    ]


def test_without_step_columns_the_steps_are_not_given() -> None:
    assert parse_preferences_csv("sku,return_action\nA,Restock\n") == [PreferenceRow("A", "Restock")]


def test_rows_are_read_from_the_stream_as_they_are_needed() -> None:
    """The second reading pulls lines as rows are asked for: the file is never held whole."""
    lines_read = 0

    class Counting(io.StringIO):
        def __next__(self) -> str:
            nonlocal lines_read
            lines_read += 1
            return super().__next__()

    text = "sku\n" + "".join(f"S-{i}\n" for i in range(10_000))
    upload = PreferenceCsv(lambda: Counting(text, newline=""))
    assert upload.check() == 10_000
    lines_read = 0
    rows: Iterator[PreferenceRow] = upload.rows()
    assert [next(rows).sku for _ in range(3)] == ["S-0", "S-1", "S-2"]
    assert lines_read <= 10


def dictreader_rows(text: str) -> list[PreferenceRow] | str:
    """The reader this module replaced (whole text, csv.DictReader): rows, or the refusal's message.

    Cells are trimmed of spaces only, as the streamed reader does since issue 22: a stored SKU that ends in a
    control character must come back unchanged from its own export."""
    import csv

    from boomerang.services.products import CSV_COLUMNS
    from boomerang.spreadsheet_cells import unescape_cell

    if "\x00" in text:
        return "the CSV contains NUL characters"
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header, records = list(reader.fieldnames or []), list(reader)
    except csv.Error as error:
        return f"the CSV cannot be read: {error}"
    if "sku" not in header:
        return "the CSV needs a header row with a sku column"
    unknown = [c for c in header if c not in CSV_COLUMNS]
    if unknown:
        return f"unknown CSV columns: {', '.join(unknown)}"
    rows = []
    for record in records:
        steps_given = any(f"inspection_step_{n}" in header for n in (1, 2, 3))
        steps = [unescape_cell((record.get(f"inspection_step_{n}") or "").strip(" ")) for n in (1, 2, 3)]
        rows.append(
            PreferenceRow(
                sku=unescape_cell((record.get("sku") or "").strip(" ")),
                return_action=(record.get("return_action") or "").strip(" ") or None,
                rts_action=(record.get("rts_action") or "").strip(" ") or None,
                backup_action=(record.get("backup_action") or "").strip(" ") or None,
                inspection_steps=tuple(s for s in steps if s) if steps_given else None,
            )
        )
    return rows


cells = st.sampled_from(["", "A-1", " B ", "Dispose", "'=x", '"', '""', ",", "\n", "\r\n", "\r", "\x00", "x y"])
headers = st.lists(
    st.sampled_from(["sku", "return_action", "rts_action", "inspection_step_1", "inspection_step_3", "colour"]),
    max_size=5,
)


@settings(max_examples=300, deadline=None)
@given(header=headers, body=st.lists(st.lists(cells, max_size=6), max_size=8), raw=st.text(max_size=80))
def test_the_streamed_reader_reads_what_the_dictreader_read(header: list[str], body: list[list[str]], raw: str) -> None:
    text = ",".join(header) + "\n" + "\n".join(",".join(row) for row in body) + raw
    try:
        streamed: list[PreferenceRow] | str = parse_preferences_csv(text)
    except ValidationFailed as refused:
        streamed = refused.message
    assert streamed == dictreader_rows(text)
