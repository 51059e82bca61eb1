"""Hand-written SQL through the same drivers the application uses (sqlite3, psycopg): the baselines."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import psycopg

from boomerang.adapters.tables.search import (
    DENSE_HITS,
    FTS_CANDIDATE_LIMIT,
    FTS_DRIVE_LIMIT,
    FTS_MIN_LENGTH,
    FTS_TABLE,
    RETURN_ROWID_MASK,
    SEARCH_SAMPLE,
    fts_phrase,
    fts_rowid_range,
    index_trigrams,
    rarest,
    sampled,
    tenant_key,
)
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

    def q_condition(self, q: str, merchant_id: str) -> tuple[str, list[Any], bool]:
        """The `q` predicate as the application builds it on this database (same index, same choice).

        The merchant's newest SEARCH_SAMPLE returns are counted first: a needle in DENSE_HITS of them is
        searched by LIKE; otherwise its rarest trigrams there are looked up in the merchant-keyed index
        (PostgreSQL: the GIN of merchant-prefixed trigrams; SQLite: the merchant's rowid range of the FTS5
        table, at most FTS_CANDIDATE_LIMIT rowids, else the whole needle as a phrase there, at most
        FTS_DRIVE_LIMIT; read by rowid with the tenant column and the order key prefixed with `+`, as in
        ReturnRepository), each candidate checked by the substring itself.
        Returns (predicate, parameters, by_rowid)."""
        needle = q.lower()
        escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        like: tuple[str, list[Any], bool] = ("search_text LIKE ? ESCAPE '\\'", [f"%{escaped}%"], False)
        dialect = "postgresql" if self.postgres else "sqlite"
        trigrams = sampled(index_trigrams(needle, dialect)) if "|" not in merchant_id else []
        if trigrams:
            size, hits, *counts = self._sample(merchant_id, needle, trigrams)
            if hits >= DENSE_HITS:
                return like
            keys = rarest(trigrams, counts, size)
            if keys is not None and self.postgres:
                predicate = "boomerang_search_keys(merchant_id, search_text) @> ?::text[]"
                predicate += " AND strpos(search_text, ?) > 0"
                return predicate, [[tenant_key(merchant_id, k) for k in keys], needle], False
            if keys is not None:
                (merchant_rowid,) = self.all("SELECT rowid FROM merchants WHERE id = ?", [merchant_id])[0]
                partition = fts_rowid_range(merchant_rowid)
                rowids = self._fts_rowids(" AND ".join(fts_phrase(k) for k in keys), partition, FTS_CANDIDATE_LIMIT)
                if rowids is None:  # too many candidates: the whole phrase in the merchant's range
                    rowids = self._fts_rowids(fts_phrase(needle), partition, FTS_DRIVE_LIMIT)
                if rowids is None:
                    return like
                return f"rowid IN ({', '.join('?' for _ in rowids) or 'NULL'}) AND {like[0]}", [*rowids, *like[1]], True
        if not self.postgres and len(needle) >= FTS_MIN_LENGTH:
            rowids = self._fts_rowids(fts_phrase(needle), None, FTS_DRIVE_LIMIT)
            if rowids is not None:
                return f"rowid IN ({', '.join('?' for _ in rowids) or 'NULL'})", rowids, True
        return like

    def _sample(self, merchant_id: str, needle: str, trigrams: list[str]) -> list[int]:
        """[sampled rows, rows holding the needle, rows holding each trigram] of the merchant's newest."""
        holds = "count(*) FILTER (WHERE search_text LIKE ? ESCAPE '\\')"
        columns = ", ".join(["count(*)", *(holds for _ in range(len(trigrams) + 1))])
        patterns = [
            "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            for text in (needle, *trigrams)
        ]
        newest = "SELECT search_text FROM return_orders WHERE merchant_id = ? ORDER BY id DESC LIMIT ?"
        row = self.all(f"SELECT {columns} FROM ({newest}) s", [*patterns, merchant_id, SEARCH_SAMPLE])[0]
        return [int(n) for n in row]

    def _fts_rowids(self, match: str, rowid_range: tuple[int, int] | None, limit: int) -> list[int] | None:
        """SQLite: the returns' rowids whose FTS document matches, at most `limit` (else None)."""
        statement = f"SELECT rowid & {RETURN_ROWID_MASK} FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?"
        params: list[Any] = [match]
        if rowid_range is not None:
            statement += " AND rowid BETWEEN ? AND ?"
            params += rowid_range
        hits = self.all(statement + " LIMIT ?", [*params, limit + 1])
        return [row[0] for row in hits] if len(hits) <= limit else None

    def first_page(
        self, merchant_id: str, *, status: str | None = None, q: str | None = None, after: str | None = None
    ):  # type: ignore[no-untyped-def]
        """The page the API returns (50 rows, newest first) and every child row it renders."""
        by_rowid = False
        params: list[Any] = []
        where: list[str] = []
        if q:
            condition, values, by_rowid = self.q_condition(q, merchant_id)
            where.append(condition)
            params += values
        tenant, order = ("+merchant_id", "+id") if by_rowid else ("merchant_id", "id")
        where.append(f"{tenant} = ?")
        params.append(merchant_id)
        if status:
            where.append("status = ?")
            params.append(status)
        if after:
            where.append(f"{order} < ?")
            params.append(after)
        statement = f"SELECT * FROM return_orders WHERE {' AND '.join(where)} ORDER BY {order} DESC LIMIT 51"
        rows = self.all(statement, params)
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


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class RawProcessing:
    """The dock-to-done reads and writes of one return by hand: one transaction per step, as the API does."""

    def __init__(self, raw: Raw) -> None:
        self.raw = raw
        self.lock = " FOR UPDATE" if raw.postgres else ""

    def run(self, return_id: str, merchant_id: str, fc_id: str, tracking: str) -> None:
        self.receive(return_id, merchant_id, fc_id, tracking)
        self.step(return_id, merchant_id, "Processing", "processing_date", "return.updated")
        lines = self.raw.all("SELECT id, product_id, quantity FROM return_lines WHERE return_id = ?", [return_id])
        for line_id, product_id, quantity in lines:
            self.inspect(return_id, merchant_id, line_id, product_id, quantity)
        self.complete(return_id, merchant_id, fc_id, lines)

    def _read_return(self, cursor: Any, return_id: str) -> None:
        cursor.execute(self.raw.sql(f"SELECT * FROM return_orders WHERE id = ?{self.lock}"), (return_id,))
        cursor.fetchall()
        cursor.execute(self.raw.sql("SELECT * FROM return_lines WHERE return_id = ? ORDER BY position"), (return_id,))
        cursor.fetchall()

    def _event(self, merchant_id: str, topic: str, return_id: str) -> tuple[str, tuple[Any, ...]]:
        payload = json.dumps({"id": return_id, "topic": topic})
        return (
            "INSERT INTO outbox_events (id, merchant_id, topic, payload, created_at) VALUES (?,?,?,?,?)",
            (new_id("evt"), merchant_id, topic, payload, _now()),
        )

    def _history(self, return_id: str, merchant_id: str, status: str) -> tuple[str, tuple[Any, ...]]:
        return (
            "INSERT INTO return_status_history (return_id, merchant_id, status, timestamp, actor) VALUES (?,?,?,?,?)",
            (return_id, merchant_id, status, _now(), "bench operator"),
        )

    def _in_transaction(
        self, reads: list[tuple[str, list[Any]]], return_id: str, writes: list[tuple[str, tuple[Any, ...]]]
    ) -> None:
        cursor = self.raw.conn.cursor()
        if not self.raw.postgres:
            cursor.execute("BEGIN IMMEDIATE")
        for statement, params in reads:
            cursor.execute(self.raw.sql(statement), tuple(params))
            cursor.fetchall()
        self._read_return(cursor, return_id)
        for statement, params in writes:
            cursor.execute(self.raw.sql(statement), params)
        self.raw.conn.commit() if self.raw.postgres else cursor.execute("COMMIT")
        cursor.close()

    def receive(self, return_id: str, merchant_id: str, fc_id: str, tracking: str) -> None:
        reads = [
            (
                "SELECT * FROM return_orders WHERE fulfillment_center_id = ?"
                " AND (tracking_number = ? OR label_tracking_number = ?)",
                [fc_id, tracking, tracking],
            ),
            ("SELECT * FROM shipments WHERE fulfillment_center_id = ? AND tracking_number = ?", [fc_id, tracking]),
            ("SELECT * FROM fee_schedules WHERE merchant_id = ?", [merchant_id]),
        ]
        now = _now()
        writes = [
            (
                "UPDATE return_orders SET status = 'Arrived', arrived_date = ?, version = version + 1 WHERE id = ?",
                (now, return_id),
            ),
            self._history(return_id, merchant_id, "Arrived"),
            (
                "INSERT INTO transactions (id, merchant_id, transaction_type, amount, currency, created_at,"
                " return_id, dedup_key) VALUES (?,?,?,?,?,?,?,?)",
                (new_id("txn"), merchant_id, "ReturnProcessingFee", 300, "USD", now, return_id, f"arrival:{return_id}"),
            ),
            (
                "INSERT INTO receipts (id, fulfillment_center_id, merchant_id, scanned, outcome, return_id, actor,"
                " created_at) VALUES (?,?,?,?,?,?,?,?)",
                (new_id("rcp"), fc_id, merchant_id, tracking, "matched", return_id, "bench operator", now),
            ),
            self._event(merchant_id, "return.arrived", return_id),
        ]
        self._in_transaction(reads, return_id, writes)

    def step(self, return_id: str, merchant_id: str, status: str, column: str, topic: str) -> None:
        writes = [
            (
                f"UPDATE return_orders SET status = ?, {column} = ?, version = version + 1 WHERE id = ?",
                (status, _now(), return_id),
            ),
            self._history(return_id, merchant_id, status),
            self._event(merchant_id, topic, return_id),
        ]
        self._in_transaction([], return_id, writes)

    def inspect(self, return_id: str, merchant_id: str, line_id: str, product_id: str, quantity: int) -> None:
        inspection = json.dumps({"quantity_received": quantity, "step_results": [], "photo_ids": []})
        writes = [
            ("UPDATE return_lines SET inspection = ? WHERE id = ?", (inspection, line_id)),
            ("UPDATE return_orders SET version = version + 1 WHERE id = ?", (return_id,)),
            self._event(merchant_id, "return.updated", return_id),
        ]
        self._in_transaction([("SELECT * FROM products WHERE id = ?", [product_id])], return_id, writes)

    def complete(self, return_id: str, merchant_id: str, fc_id: str, lines: list[Any]) -> None:
        product_ids = [product_id for _, product_id, _ in lines]
        marks = ", ".join("?" for _ in product_ids)
        writes: list[tuple[str, tuple[Any, ...]]] = []
        for line_id, product_id, quantity in lines:
            action = json.dumps(
                [{"action": "Restock", "action_reason": "MerchantPreference", "quantity_processed": quantity}]
            )
            writes.append(("UPDATE return_lines SET actions_taken = ? WHERE id = ?", (action, line_id)))
            writes.append(
                (
                    "INSERT INTO ledger_entries (id, merchant_id, product_id, fulfillment_center_id, bucket, quantity,"
                    " reason, originator, return_id, created_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (
                        new_id("led"),
                        merchant_id,
                        product_id,
                        fc_id,
                        "Sellable",
                        quantity,
                        "MerchantPreference",
                        "bench",
                        return_id,
                        _now(),
                    ),
                )
            )
        writes.append(
            (
                "UPDATE return_orders SET status = 'Completed', completed_date = ?, version = version + 1 WHERE id = ?",
                (_now(), return_id),
            )
        )
        writes += [
            self._history(return_id, merchant_id, "Completed"),
            self._event(merchant_id, "return.completed", return_id),
        ]
        self._in_transaction([(f"SELECT * FROM products WHERE id IN ({marks})", product_ids)], return_id, writes)
