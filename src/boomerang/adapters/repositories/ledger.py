"""The inventory ledger: append-only entries and the on-hand figures summed from them.

Shared by every feature that moves stock (returns completion, work orders, admin adjustments).
Entries are never updated or deleted; a correction is another entry.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from boomerang.adapters.tables.ledger import ledger_entries as le
from boomerang.domain.inventory import Bucket, LedgerEntry, StockPosition


class LedgerRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, entries: Iterable[LedgerEntry]) -> None:
        """Append entries (one INSERT for all of them)."""
        rows = [_row(entry) for entry in entries]
        if rows:
            self.session.execute(insert(le), rows)

    def positions(
        self,
        bucket: Bucket,
        *,
        merchant_id: str | None = None,
        product_ids: list[str] | None = None,
        fulfillment_center_id: str | None = None,
        before: datetime | None = None,
    ) -> list[StockPosition]:
        """Positive on-hand figures of `bucket` per (merchant, product, FC, lot, expiry), optionally as of `before`.

        A lot number that arrived with two expiration dates is two positions: they are never merged.
        """
        keys = (le.c.merchant_id, le.c.product_id, le.c.fulfillment_center_id, le.c.lot_number, le.c.expiration_date)
        stmt = select(*keys, func.sum(le.c.quantity)).where(le.c.bucket == bucket)
        if merchant_id is not None:
            stmt = stmt.where(le.c.merchant_id == merchant_id)
        if product_ids is not None:
            stmt = stmt.where(le.c.product_id.in_(product_ids))
        if fulfillment_center_id is not None:
            stmt = stmt.where(le.c.fulfillment_center_id == fulfillment_center_id)
        if before is not None:
            stmt = stmt.where(le.c.created_at < before)
        stmt = stmt.group_by(*keys).having(func.sum(le.c.quantity) > 0).order_by(*keys)
        return [StockPosition(*row[:5], int(row[5])) for row in self.session.execute(stmt)]

    def entries(self, *, work_order_id: str | None = None, return_id: str | None = None) -> list[LedgerEntry]:
        stmt = select(le)
        if work_order_id is not None:
            stmt = stmt.where(le.c.work_order_id == work_order_id)
        if return_id is not None:
            stmt = stmt.where(le.c.return_id == return_id)
        return [LedgerEntry(**row._mapping) for row in self.session.execute(stmt.order_by(le.c.id))]


def _row(entry: LedgerEntry) -> dict[str, object]:
    return {
        "id": entry.id,
        "merchant_id": entry.merchant_id,
        "product_id": entry.product_id,
        "fulfillment_center_id": entry.fulfillment_center_id,
        "lot_number": entry.lot_number,
        "expiration_date": entry.expiration_date,
        "bucket": entry.bucket,
        "quantity": entry.quantity,
        "reason": entry.reason,
        "originator": entry.originator,
        "return_id": entry.return_id,
        "work_order_id": entry.work_order_id,
        "created_at": entry.created_at,
    }
