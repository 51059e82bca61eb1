"""CSV cells that a spreadsheet will not run as formulas (OWASP, "CSV Injection").

A cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with `'`, which
spreadsheets show as text. Plain numbers (`-3.00`) stay numbers: a spreadsheet does not evaluate them,
and invoice amounts must still add up. Reading our own export back strips the prefix again.
"""

from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def safe_cell(value: str) -> str:
    if value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def unescape_cell(value: str) -> str:
    """The inverse of `safe_cell`, for files we exported and a merchant edits and uploads again."""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value
