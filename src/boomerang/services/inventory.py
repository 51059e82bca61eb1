"""Inventory: on-hand stock and the ledger it is summed from; admin adjustments as new entries."""

from __future__ import annotations

from datetime import date
from typing import Any

from boomerang.domain.error_codes import AuthErrorCode, ErrorCode, ProductErrorCode
from boomerang.domain.errors import FieldError, NotFound, ValidationFailed
from boomerang.domain.ids import new_id
from boomerang.domain.inventory import Bucket, LedgerEntry
from boomerang.services.lookups import known_fulfillment_center
from boomerang.services.queries import LedgerFilters, Page, StockFilters
from boomerang.services.read_models.inventory import Adjustment, StockPosition
from boomerang.services.unit_of_work import UnitOfWork

ADJUSTMENT_REASON = "Adjustment"


def list_inventory(uow: UnitOfWork, *, filters: StockFilters, cursor: str | None, limit: int) -> Page[StockPosition]:
    """Stock positions: Sellable, Quarantine and reserved units per product, FC, lot number and expiration date."""
    page = uow.stock.stock(filters, cursor, limit)
    reserved = uow.stock.reserved_quantities([line.key for line in page.items])
    items = [
        StockPosition(
            product_id=line.product_id,
            sku=line.sku,
            fulfillment_center_id=line.fulfillment_center_id,
            lot_number=line.lot_number,
            expiration_date=line.expiration_date,
            sellable=line.sellable,
            quarantine=line.quarantine,
            reserved=reserved.get(line.key, 0),
        )
        for line in page.items
    ]
    return Page(items, page.next_cursor)


def list_ledger(uow: UnitOfWork, *, filters: LedgerFilters, cursor: str | None, limit: int) -> Page[LedgerEntry]:
    """Ledger entries, newest first."""
    page = uow.stock.ledger(filters, cursor, limit)
    return Page([_entry(row) for row in page.items], page.next_cursor)


def _entry(row: Any) -> LedgerEntry:
    return LedgerEntry(
        id=row.id,
        merchant_id=row.merchant_id,
        product_id=row.product_id,
        fulfillment_center_id=row.fulfillment_center_id,
        bucket=Bucket(row.bucket),
        quantity=row.quantity,
        reason=row.reason,
        originator=row.originator,
        created_at=row.created_at,
        lot_number=row.lot_number,
        expiration_date=row.expiration_date,
        return_id=row.return_id,
        work_order_id=row.work_order_id,
    )


def _unknown(field: str, code: ErrorCode, message: str) -> ValidationFailed:
    return ValidationFailed(message, code=code, details=[FieldError(field, message)])


def _require_product(uow: UnitOfWork, merchant_id: str, product_id: str) -> None:
    try:
        uow.tenants.merchant(merchant_id)
    except NotFound:
        raise _unknown("merchant_id", AuthErrorCode.UNKNOWN_MERCHANT, f"unknown merchant {merchant_id}")
    product = uow.products.of_lines([product_id]).get(product_id)
    if product is None or product.merchant_id != merchant_id:
        raise _unknown("product_id", ProductErrorCode.UNKNOWN_PRODUCT, f"the merchant has no product {product_id}")


def _require_available(uow: UnitOfWork, entry: LedgerEntry) -> None:
    """The entry's units may leave its position (reserved quarantine stays put); else 422 insufficient_stock."""
    bucket, taken = entry.bucket, -entry.quantity
    available = uow.stock.on_hand(
        entry.merchant_id,
        entry.product_id,
        entry.fulfillment_center_id,
        entry.lot_number,
        entry.expiration_date,
        bucket,
    )
    if bucket is Bucket.Quarantine:
        key = (entry.product_id, entry.fulfillment_center_id, entry.lot_number or "", entry.expiration_date)
        available -= uow.stock.reserved_quantities([key]).get(key, 0)
    if taken > available:
        raise ValidationFailed(
            f"{bucket} has {available} units available; the adjustment would make it negative",
            code=ProductErrorCode.INSUFFICIENT_STOCK,
            details=[FieldError("quantity", f"at least {-available}")],
        )


def adjust_inventory(
    uow: UnitOfWork,
    *,
    merchant_id: str,
    product_id: str,
    fulfillment_center_id: str,
    bucket: Bucket,
    quantity: int,
    lot_number: str | None,
    note: str,
    expiration_date: date | None = None,
) -> Adjustment:
    """Adjust stock: a signed correction entry of one (lot, expiry); no bucket below zero."""
    if quantity == 0:
        raise ValidationFailed("an adjustment moves at least one unit", details=[FieldError("quantity", "not 0")])
    lot_number = lot_number or None
    if expiration_date is not None and lot_number is None:
        raise ValidationFailed(
            "an expiration date belongs to a lot",
            details=[FieldError("expiration_date", "give the lot_number of this expiration date")],
        )
    _require_product(uow, merchant_id, product_id)
    known_fulfillment_center(uow, fulfillment_center_id)
    uow.locks.products([product_id])
    entry = LedgerEntry(
        id=new_id("led"),
        merchant_id=merchant_id,
        product_id=product_id,
        fulfillment_center_id=fulfillment_center_id,
        bucket=bucket,
        quantity=quantity,
        reason=ADJUSTMENT_REASON,
        originator=uow.principal.actor,
        created_at=uow.now,
        lot_number=lot_number,
        expiration_date=expiration_date,
    )
    _require_available(uow, entry)
    uow.ledger.add([entry])
    uow.stock.add_adjustment_note(
        ledger_entry_id=entry.id, merchant_id=merchant_id, note=note, created_by=uow.principal.actor, created_at=uow.now
    )
    uow.commit()
    return Adjustment(entry, note)
