"""Bulk loading for the benchmarks' data set: rows straight into tables through the driver's fastest
path (COPY / executemany), and ids made in bulk. Not for the application: it bypasses the unit of work
(no events, no checks) on purpose, to build a large history quickly.
"""

from __future__ import annotations

import json
import random
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, Table, text

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_PAIRS = [a + b for a in _ALPHABET for b in _ALPHABET]  # 10 bits -> two Crockford characters


def bulk_id(prefix: str, at: datetime, rng: random.Random) -> str:
    """What `new_id(prefix, at)` returns (10 time + 16 random Crockford characters), several times faster."""
    value = (int(at.timestamp() * 1000) << 80) | rng.getrandbits(80)
    return prefix + "_" + "".join([_PAIRS[(value >> shift) & 1023] for shift in range(120, -1, -10)])


class BulkWriter:
    """Rows into one table at a time: COPY on PostgreSQL, executemany on SQLite, one transaction per call."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.dialect = engine.dialect
        self.postgres = engine.dialect.name == "postgresql"

    def write(self, table: Table, rows: list[dict[str, Any]]) -> int:
        if not rows:
            return 0
        names = list(rows[0])
        processors = [table.c[name].type.bind_processor(self.dialect) for name in names]
        values = [self._row(row, names, processors) for row in rows]
        # One transaction per call, begun and ended by SQLAlchemy (BEGIN IMMEDIATE on SQLite, see db.py);
        # inside it the driver's own bulk paths: COPY (psycopg) or executemany (sqlite3).
        with self.engine.begin() as conn:
            cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
            try:
                if self.postgres:
                    with cursor.copy(f"COPY {table.name} ({', '.join(names)}) FROM STDIN") as copy:
                        for value in values:
                            copy.write_row(value)
                else:
                    marks = ", ".join("?" for _ in names)
                    cursor.executemany(f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({marks})", values)
            finally:
                cursor.close()
        return len(rows)

    def _row(self, row: dict[str, Any], names: list[str], processors: list[Any]) -> tuple[Any, ...]:
        out = []
        for name, process in zip(names, processors, strict=True):
            value = row[name]
            if process is not None:
                value = process(value)
            if self.postgres and isinstance(value, dict | list):
                value = json.dumps(value)
            out.append(value)
        return tuple(out)


def analyze(engine: Engine) -> None:
    """Fresh planner statistics after a bulk load (as autovacuum / PRAGMA optimize would gather). On
    PostgreSQL a VACUUM too, as autovacuum would run after so many inserts: it marks the pages all-visible,
    without which no index-only scan can skip the table (counts per status tab read the whole table)."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM (ANALYZE)"))
        return
    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))
