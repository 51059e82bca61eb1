"""Long `IN (...)` lists split into queries of a bounded size.

SQLite refuses more than 32,766 bound variables in one statement and PostgreSQL more than 65,535;
a bulk upload of many rows must not turn into one statement with a parameter per row.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")

IN_LIST_CHUNK = 500


def chunks(values: Sequence[T], size: int = IN_LIST_CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]
