"""The one CSV writer of the product, with cells a spreadsheet will not run as formulas or split into rows.

Every CSV Boomerang writes (the preferences export, the returns export, the overview's tables, the
invoice CSV) goes through `csv_pieces`, so the two rules below hold for all of them:

* OWASP's "CSV Injection" rule: a text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage
  return is prefixed with `'`, which spreadsheets show as text. Plain numbers (`-3.00`) stay numbers: a
  spreadsheet does not evaluate them, and invoice amounts must still add up. Reading our own export back
  strips the prefix again (`unescape_cell`), so export -> import is a round trip.
* A cell holding a comma, a quote or any control character is quoted (RFC 4180). Python's `csv` module
  with QUOTE_MINIMAL quotes only the characters of its line terminator, so a bare `\\r` under a `\\n`
  terminator stayed bare and ended the row in Excel; and readers that take `\\x0b`, `\\x0c`, `\\x1c`-`\\x1e`,
  `\\x85`, U+2028 or U+2029 for line breaks (str.splitlines, some spreadsheets) split there. Quoted, every
  one of them stays inside its cell for any RFC 4180 reader.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")
# The delimiter, the quote, every C0 and C1 control character and DEL, and the Unicode line and
# paragraph separators.
_NEEDS_QUOTES = re.compile('[",\x00-\x1f\x7f-\x9f\u2028\u2029]')
LINE_END = "\r\n"  # RFC 4180's, and what Excel writes
PIECE_CHARS = 32_000


def safe_cell(value: str) -> str:
    if value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def unescape_cell(value: str) -> str:
    """The inverse of `safe_cell`, for files we exported and a merchant edits and uploads again."""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def csv_cell(value: object) -> str:
    """One cell as written: None is empty, text is neutralised, and quoted when it must be."""
    if value is None:
        return ""
    text = safe_cell(value) if isinstance(value, str) else str(value)
    if _NEEDS_QUOTES.search(text):
        return '"' + text.replace('"', '""') + '"'
    return text


def csv_line(cells: Iterable[object]) -> str:
    return ",".join(csv_cell(cell) for cell in cells) + LINE_END


def csv_pieces(header: Sequence[str], rows: Iterable[Sequence[object]]) -> Iterator[str]:
    """A whole CSV file as text in pieces of about 32,000 characters (the header row first), so a
    file of any length is streamed and never held whole."""
    piece = [csv_line(header)]
    size = len(piece[0])
    for row in rows:
        line = csv_line(row)
        piece.append(line)
        size += len(line)
        if size >= PIECE_CHARS:
            yield "".join(piece)
            piece, size = [], 0
    yield "".join(piece)
