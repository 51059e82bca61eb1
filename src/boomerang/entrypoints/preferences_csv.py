"""The bulk return-preferences CSV, read as a stream: the API's upload, the CLI's file, the page's text.

Reading CSV text is the entry points' business; the use case takes typed rows (`PreferenceRow`). A file
is read twice, each time line by line, so memory holds a line, never the file:

* `check()` reads it through once for everything that refuses the whole file, in the order these
  refusals have always been given (not UTF-8, NUL characters, not CSV, no `sku` column or an unknown
  column; all 422 `invalid_csv`), and counts its rows, so a file over the row cap is refused (413)
  before any database work;
* `rows()` then yields its rows one by one, for the use case to check and write a chunk at a time.

Blank lines are skipped and cells are read as `csv.DictReader` reads them (a short row leaves the
missing columns empty, a repeated column name keeps its last cell), less the spaces around them and the
`'` our export puts before a cell that starts like a formula (`spreadsheet_cells.unescape_cell`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TextIO

from boomerang.domain.error_codes import ProductErrorCode
from boomerang.domain.errors import FieldError, ValidationFailed
from boomerang.services.products import CSV_COLUMNS, PreferenceRow
from boomerang.spreadsheet_cells import unescape_cell

ACTION_COLUMNS = ("return_action", "rts_action", "backup_action")
STEP_COLUMNS = ("inspection_step_1", "inspection_step_2", "inspection_step_3")


class PreferenceCsv:
    """A bulk-preferences CSV that `open_text` opens afresh for each reading."""

    def __init__(self, open_text: Callable[[], TextIO]) -> None:
        self._open = open_text
        self._header: list[str] | None = None

    @classmethod
    def of_bytes(cls, data: bytes) -> PreferenceCsv:
        """An uploaded body: UTF-8, with or without a byte-order mark (decoded as it is read)."""
        return cls(lambda: io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline=""))

    @classmethod
    def of_path(cls, path: Path) -> PreferenceCsv:
        return cls(lambda: path.open(encoding="utf-8-sig", newline=""))

    @classmethod
    def of_text(cls, text: str) -> PreferenceCsv:
        return cls(lambda: io.StringIO(text, newline=""))

    def check(self) -> int:
        """How many rows the file has; or the refusal of the whole file (ValidationFailed, invalid_csv)."""
        lines = _NulWatch()
        csv_error: csv.Error | None = None
        count = 0
        try:
            with self._open() as stream:
                source = lines.over(stream)
                reader = csv.reader(source)
                try:
                    header = next(reader, [])
                    for record in reader:
                        if record:
                            count += 1
                except csv.Error as error:
                    csv_error = error
                    for _ in source:  # the rest of the file: its encoding and NUL characters still count first
                        pass
        except UnicodeDecodeError:
            raise _not_utf8() from None
        if lines.seen_nul:
            raise ValidationFailed("the CSV contains NUL characters", code=ProductErrorCode.INVALID_CSV)
        if csv_error is not None:
            raise _unreadable(csv_error)
        _check_header(header)
        self._header = header
        return count

    def rows(self) -> Iterator[PreferenceRow]:
        """The rows, one at a time (the file is checked first if `check` was not called)."""
        if self._header is None:
            self.check()
        header = self._header or []
        position = {name: i for i, name in enumerate(header)}  # a repeated name: its last column, as DictReader
        sku_at = position["sku"]
        action_at = [position.get(name) for name in ACTION_COLUMNS]
        steps_at = [position.get(name) for name in STEP_COLUMNS]
        steps_given = any(i is not None for i in steps_at)

        def cell(record: list[str], i: int | None) -> str:
            # Spaces a spreadsheet left around a value go; other whitespace is data: a stored SKU that
            # ends in a control character must come back as it was exported.
            return record[i].strip(" ") if i is not None and i < len(record) else ""

        try:
            with self._open() as stream:
                reader = csv.reader(stream)
                next(reader, None)
                for record in reader:
                    if not record:
                        continue
                    return_action, rts_action, backup_action = (cell(record, i) or None for i in action_at)
                    steps = None
                    if steps_given:
                        steps = tuple(unescape_cell(step) for i in steps_at if (step := cell(record, i)))
                    yield PreferenceRow(
                        unescape_cell(cell(record, sku_at)), return_action, rts_action, backup_action, steps
                    )
        except UnicodeDecodeError:  # only if the file changed since `check`
            raise _not_utf8() from None
        except csv.Error as error:
            raise _unreadable(error) from None


def parse_preferences_csv(text: str) -> list[PreferenceRow]:
    """Every row of a small CSV held as text (the dashboard's upload, at most 2 MB), checked."""
    return list(PreferenceCsv.of_text(text).rows())


class _NulWatch:
    """Passes lines on and notes whether any holds a NUL character."""

    seen_nul = False

    def over(self, lines: Iterable[str]) -> Iterator[str]:
        for line in lines:
            if "\x00" in line:
                self.seen_nul = True
            yield line


def _check_header(header: list[str]) -> None:
    if "sku" not in header:
        raise ValidationFailed(
            "the CSV needs a header row with a sku column",
            code=ProductErrorCode.INVALID_CSV,
            details=[FieldError("header", f"expected columns {','.join(CSV_COLUMNS)}")],
        )
    unknown = [c for c in header if c not in CSV_COLUMNS]
    if unknown:
        raise ValidationFailed(
            f"unknown CSV columns: {', '.join(unknown)}",
            code=ProductErrorCode.INVALID_CSV,
            details=[FieldError("header", f"unknown column {c!r}") for c in unknown],
        )


def _not_utf8() -> ValidationFailed:
    return ValidationFailed("the CSV must be UTF-8", code=ProductErrorCode.INVALID_CSV)


def _unreadable(error: csv.Error) -> ValidationFailed:
    return ValidationFailed(f"the CSV cannot be read: {error}", code=ProductErrorCode.INVALID_CSV)
