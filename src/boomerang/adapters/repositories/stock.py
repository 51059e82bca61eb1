"""Reading the inventory ledger: on-hand per stock position, entry lists (writes go through LedgerRepository)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import case, func, insert, select, tuple_
from sqlalchemy.orm import Session

from boomerang.adapters.repositories.base import Page, apply_scope, decode_cursor, encode_cursor, keyset_page
from boomerang.adapters.repositories.work_orders import reserved_quantities
from boomerang.adapters.tables import core
from boomerang.adapters.tables.ledger import ledger_entries
from boomerang.adapters.tables.warehouse import inventory_adjustments
from boomerang.domain.error_codes import CommonErrorCode
from boomerang.domain.errors import FieldError, ValidationFailed
from boomerang.domain.inventory import NO_LOT, Bucket, StockKey, StockLine
from boomerang.domain.queries import LedgerFilters, StockFilters
from boomerang.domain.tenants import Principal

le = ledger_entries
NO_EXPIRY = date(1, 1, 1)  # stands for "no expiration date" where SQL needs a comparable value (keyset cursors)


def same_expiry(expiration_date: date | None) -> Any:
    return le.c.expiration_date.is_(None) if expiration_date is None else le.c.expiration_date == expiration_date


def _bucket_sum(bucket: Bucket) -> Any:
    return func.coalesce(func.sum(case((le.c.bucket == bucket.value, le.c.quantity), else_=0)), 0)


def _lot_from_cursor(part: str) -> str:
    """Lots travel hex-encoded in cursors (never empty, always printable, whatever the lot number)."""
    try:
        return bytes.fromhex(part.removeprefix("x")).decode()
    except ValueError:
        raise _invalid_cursor()


def _expiry_from_cursor(part: str) -> date:
    try:
        return date.fromisoformat(part)
    except ValueError:
        raise _invalid_cursor()


def _invalid_cursor() -> ValidationFailed:
    return ValidationFailed(
        "cursor is not one this API returned",
        code=CommonErrorCode.INVALID_CURSOR,
        details=[FieldError("cursor", "invalid")],
    )


class StockReadRepository:
    def __init__(self, session: Session, principal: Principal) -> None:
        self.session = session
        self.principal = principal

    def add_adjustment_note(self, **values: Any) -> None:
        self.session.execute(insert(inventory_adjustments).values(**values))

    def on_hand(
        self,
        merchant_id: str,
        product_id: str,
        fc_id: str,
        lot_number: str | None,
        expiration_date: date | None,
        bucket: Bucket,
    ) -> int:
        stmt = select(func.coalesce(func.sum(le.c.quantity), 0)).where(
            le.c.merchant_id == merchant_id,
            le.c.product_id == product_id,
            le.c.fulfillment_center_id == fc_id,
            func.coalesce(le.c.lot_number, NO_LOT) == (lot_number or NO_LOT),
            same_expiry(expiration_date),
            le.c.bucket == bucket.value,
        )
        return int(self.session.execute(stmt).scalar_one())

    def stock(self, filters: StockFilters, cursor: str | None, limit: int) -> Page[StockLine]:
        """On-hand Sellable and Quarantine per (merchant, product, FC, lot, expiry), ordered by that key."""
        lot = func.coalesce(le.c.lot_number, NO_LOT).label("lot_key")
        expiry = func.coalesce(le.c.expiration_date, NO_EXPIRY).label("expiry_key")
        sellable = _bucket_sum(Bucket.Sellable)
        quarantine = _bucket_sum(Bucket.Quarantine)
        stmt: Any = select(
            le.c.merchant_id,
            le.c.product_id,
            core.products.c.sku,
            le.c.fulfillment_center_id,
            lot,
            expiry,
            sellable.label("sellable"),
            quarantine.label("quarantine"),
        ).join(core.products, core.products.c.id == le.c.product_id)
        stmt = apply_scope(stmt, self.principal, le.c.merchant_id, le.c.fulfillment_center_id)
        if filters.product_id is not None:
            stmt = stmt.where(le.c.product_id == filters.product_id)
        if filters.fulfillment_center_id is not None:
            stmt = stmt.where(le.c.fulfillment_center_id == filters.fulfillment_center_id)
        key = (le.c.product_id, le.c.fulfillment_center_id, lot, expiry, le.c.merchant_id)
        stmt = stmt.group_by(
            le.c.merchant_id, le.c.product_id, core.products.c.sku, le.c.fulfillment_center_id, lot, expiry
        )
        having = (sellable != 0) | (quarantine != 0)
        if filters.bucket is not None:
            having = _bucket_sum(filters.bucket) > 0
        stmt = stmt.having(having)
        if cursor:
            product_id, fc_id, lot_part, expiry_part, merchant_id = decode_cursor(cursor, 5)
            after = (product_id, fc_id, _lot_from_cursor(lot_part), _expiry_from_cursor(expiry_part), merchant_id)
            stmt = stmt.where(tuple_(*key) > tuple_(*after))
        rows = self.session.execute(stmt.order_by(*key).limit(limit + 1)).all()
        next_cursor = None
        if len(rows) > limit:
            last = rows[limit - 1]
            next_cursor = encode_cursor(
                last.product_id,
                last.fulfillment_center_id,
                "x" + last.lot_key.encode().hex(),
                _as_date(last.expiry_key).isoformat(),
                last.merchant_id,
            )
        return Page([_stock_line(row) for row in rows[:limit]], next_cursor)

    def reserved_quantities(self, keys: list[StockKey]) -> dict[StockKey, int]:
        """Units reserved by open work orders, per stock position."""
        if not keys:
            return {}
        reserved = reserved_quantities(self.session, product_ids=sorted({k[0] for k in keys}))
        wanted = set(keys)
        totals: dict[StockKey, int] = {}
        for (_, product_id, fc_id, lot_number, expiration_date), quantity in reserved.items():
            key = (product_id, fc_id, lot_number or NO_LOT, expiration_date)
            if key in wanted:
                totals[key] = totals.get(key, 0) + quantity
        return totals

    def ledger(self, filters: LedgerFilters, cursor: str | None, limit: int) -> Page[Any]:
        """Entries newest first, scoped to the caller."""
        stmt = apply_scope(select(le), self.principal, le.c.merchant_id, le.c.fulfillment_center_id)
        for column, value in (
            (le.c.product_id, filters.product_id),
            (le.c.return_id, filters.return_id),
            (le.c.work_order_id, filters.work_order_id),
        ):
            if value is not None:
                stmt = stmt.where(column == value)
        return keyset_page(self.session, stmt, le.c.id, cursor, limit, scalars=False)

    def totals(self, merchant_id: str) -> dict[tuple[str, str, str, date | None, str], int]:
        """Sum per (product, FC, lot, expiry, bucket) for one merchant: what the invariants are checked against."""
        lot = func.coalesce(le.c.lot_number, NO_LOT)
        keys = (le.c.product_id, le.c.fulfillment_center_id, lot, le.c.expiration_date, le.c.bucket)
        stmt = select(*keys, func.sum(le.c.quantity)).where(le.c.merchant_id == merchant_id).group_by(*keys)
        return {(p, f, lt, e, str(b)): int(q) for p, f, lt, e, b, q in self.session.execute(stmt)}


def _as_date(value: date | str) -> date:
    # SQLite hands back the COALESCE of a DATE column as the ISO text it stores.
    return value if isinstance(value, date) else date.fromisoformat(value)


def _stock_line(row: Any) -> StockLine:
    expiry = _as_date(row.expiry_key)
    return StockLine(
        merchant_id=row.merchant_id,
        product_id=row.product_id,
        sku=row.sku,
        fulfillment_center_id=row.fulfillment_center_id,
        lot_number=row.lot_key or None,
        expiration_date=None if expiry == NO_EXPIRY else expiry,
        sellable=int(row.sellable),
        quarantine=int(row.quarantine),
    )
