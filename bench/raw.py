"""Hand-written SQL through the same drivers the application uses (sqlite3, psycopg): the baselines."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import psycopg

from boomerang.domain.ids import new_id

CHILDREN = (
    "SELECT * FROM return_lines WHERE return_id IN ({ids}) ORDER BY return_id, position",
    "SELECT * FROM return_status_history WHERE return_id IN ({ids}) ORDER BY id",
    "SELECT * FROM tracking_events WHERE return_id IN ({ids}) ORDER BY occurred_at",
    "SELECT * FROM transactions WHERE return_id IN ({ids}) ORDER BY id",
)


class Raw:
    """One DBAPI connection; SQL is written with `?` and adapted for psycopg."""

    def __init__(self, url: str) -> None:
        self.postgres = url.startswith("postgresql")
        if self.postgres:
            self.conn: Any = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"))
        else:
            self.conn = sqlite3.connect(url.split("///", 1)[1], timeout=30, isolation_level=None)
            self.conn.execute("PRAGMA busy_timeout=30000")
        self.fts = not self.postgres and self.one("SELECT count(*) FROM sqlite_master WHERE name = 'return_orders_fts'")

    def sql(self, statement: str) -> str:
        return statement.replace("?", "%s") if self.postgres else statement

    def all(self, statement: str, params: Sequence[Any] = ()) -> list[Any]:
        cursor = self.conn.cursor()
        cursor.execute(self.sql(statement), tuple(params))
        rows = cursor.fetchall()
        cursor.close()
        if self.postgres:
            self.conn.rollback()
        return rows

    def one(self, statement: str, params: Sequence[Any] = ()) -> Any:
        return self.all(statement, params)[0][0]

    def close(self) -> None:
        self.conn.close()

    def q_condition(self, q: str) -> tuple[str, str]:
        """The `q` predicate the application uses on this database, so both sides use the same index."""
        needle = q.lower()
        if self.fts and len(needle) >= 3:
            phrase = '"' + needle.replace('"', '""') + '"'
            return "rowid IN (SELECT rowid FROM return_orders_fts WHERE return_orders_fts MATCH ?)", phrase
        escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return "search_text LIKE ? ESCAPE '\\'", f"%{escaped}%"

    def first_page(
        self, merchant_id: str, *, status: str | None = None, q: str | None = None, after: str | None = None
    ):  # type: ignore[no-untyped-def]
        """The page the API returns (50 rows, newest first) and every child row it renders."""
        where, params = ["merchant_id = ?"], [merchant_id]
        if status:
            where.append("status = ?")
            params.append(status)
        if q:
            condition, value = self.q_condition(q)
            where.append(condition)
            params.append(value)
        if after:
            where.append("id < ?")
            params.append(after)
        rows = self.all(f"SELECT * FROM return_orders WHERE {' AND '.join(where)} ORDER BY id DESC LIMIT 51", params)
        ids = [row[0] for row in rows[:50]]
        if not ids:
            return rows
        marks = ", ".join("?" for _ in ids)
        for statement in CHILDREN:
            self.all(statement.format(ids=marks), ids)
        fcs = sorted({row[2] for row in rows})
        self.all(f"SELECT id, name FROM fulfillment_centers WHERE id IN ({', '.join('?' for _ in fcs)})", fcs)
        return rows

    def insert_return(self, merchant_id: str, fc_id: str, reference: str, products: list[tuple[str, str, str]]) -> None:
        """What POST /returns stores, one transaction: the return, its lines, its history, its outbox event."""
        now = datetime.now(UTC).replace(tzinfo=None)
        return_id = new_id("ret")
        search = "\n".join([reference.lower(), *(p.lower() for _, sku, name in products for p in (sku, name))])
        statements: list[tuple[str, tuple[Any, ...]]] = [
            (
                "INSERT INTO return_orders (id, merchant_id, fulfillment_center_id, reference_id, status, return_type,"
                " channel, insert_date, awaiting_arrival_date, search_text, version) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (return_id, merchant_id, fc_id, reference, "AwaitingArrival", "Regular", "API", now, now, search, 1),
            )
        ]
        for position, (product_id, sku, name) in enumerate(products):
            statements.append(
                (
                    "INSERT INTO return_lines (id, return_id, merchant_id, position, product_id, sku, name, quantity,"
                    " requested_action, actions_taken) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (new_id("rl"), return_id, merchant_id, position, product_id, sku, name, 1, "Default", "[]"),
                )
            )
        statements.append(
            (
                "INSERT INTO return_status_history (return_id, merchant_id, status, timestamp, actor)"
                " VALUES (?,?,?,?,?)",
                (return_id, merchant_id, "AwaitingArrival", now, "bench"),
            )
        )
        payload = json.dumps({"id": return_id, "reference_id": reference, "status": "AwaitingArrival"})
        statements.append(
            (
                "INSERT INTO outbox_events (id, merchant_id, topic, payload, created_at) VALUES (?,?,?,?,?)",
                (new_id("evt"), merchant_id, "return.created", payload, now),
            )
        )
        self.transaction(statements)

    def transaction(self, statements: list[tuple[str, tuple[Any, ...]]]) -> None:
        cursor = self.conn.cursor()
        if not self.postgres:
            cursor.execute("BEGIN IMMEDIATE")
        for statement, params in statements:
            cursor.execute(self.sql(statement), params)
        self.conn.commit() if self.postgres else cursor.execute("COMMIT")
        cursor.close()

    def update_preferences(self, merchant_id: str, rows: list[tuple[str, str]]) -> None:
        """Raw executemany of the bulk preference update: (sku, return_action) rows, one transaction."""
        now = datetime.now(UTC).replace(tzinfo=None)
        cursor = self.conn.cursor()
        if not self.postgres:
            cursor.execute("BEGIN IMMEDIATE")
        cursor.executemany(
            self.sql(
                "UPDATE products SET return_action = ?, preferences_configured = ?, updated_at = ?"
                " WHERE merchant_id = ? AND sku = ?"
            ),
            [(action, True, now, merchant_id, sku) for sku, action in rows],
        )
        self.conn.commit() if self.postgres else cursor.execute("COMMIT")
        cursor.close()
