"""Products and their return preferences: one by one, in bulk, and as CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields, replace
from typing import Any

from boomerang.adapters.repositories.base import Page
from boomerang.domain.error_codes import ProductErrorCode
from boomerang.domain.errors import Conflict, FieldError, ValidationFailed, require
from boomerang.domain.ids import new_id
from boomerang.domain.products import (
    MAX_SHELF_LIFE_DAYS,
    Action,
    BackupAction,
    Category,
    Product,
    ReturnPreferences,
    inspection_step_errors,
)
from boomerang.services.queries import ProductFilters
from boomerang.services.unit_of_work import UnitOfWork
from boomerang.spreadsheet_cells import safe_cell, unescape_cell

PRODUCT_FIELDS = (
    "sku",
    "name",
    "barcodes",
    "category",
    "is_lot_tracked",
    "minimum_shelf_life_days",
    "is_kitted",
    "is_sioc",
    "is_dangerous_goods",
)
CSV_COLUMNS = [
    "sku",
    "return_action",
    "rts_action",
    "backup_action",
    "inspection_step_1",
    "inspection_step_2",
    "inspection_step_3",
]


@dataclass(frozen=True)
class ProductFields:
    """What a new product is: its identity and the facts that decide what happens to returned units."""

    sku: str
    name: str
    barcodes: list[str] = field(default_factory=list)
    category: Category = Category.General
    is_lot_tracked: bool = False
    minimum_shelf_life_days: int = 0
    is_kitted: bool = False
    is_sioc: bool = False
    is_dangerous_goods: bool = False


@dataclass(frozen=True)
class ProductChanges:
    """A partial change of a product's fields: None leaves a field as it is."""

    sku: str | None = None
    name: str | None = None
    barcodes: list[str] | None = None
    category: Category | None = None
    is_lot_tracked: bool | None = None
    minimum_shelf_life_days: int | None = None
    is_kitted: bool | None = None
    is_sioc: bool | None = None
    is_dangerous_goods: bool | None = None

    def given(self) -> dict[str, object]:
        """The fields this change sets, by name."""
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None}


def _merchant_id(uow: UnitOfWork) -> str:
    return uow.require_merchant()


def _validate_product_fields(
    *, sku: str | None, name: str | None, minimum_shelf_life_days: int | None, barcodes: list[str] | None
) -> None:
    errors: list[FieldError] = []
    if sku is not None and not 1 <= len(sku.strip()) <= 100:
        errors.append(FieldError("sku", "sku is 1 to 100 characters"))
    if name is not None and not 1 <= len(name.strip()) <= 300:
        errors.append(FieldError("name", "name is 1 to 300 characters"))
    if minimum_shelf_life_days is not None and not 0 <= minimum_shelf_life_days <= MAX_SHELF_LIFE_DAYS:
        errors.append(FieldError("minimum_shelf_life_days", f"0 to {MAX_SHELF_LIFE_DAYS} days"))
    for i, code in enumerate(barcodes or []):
        if not 1 <= len(code) <= 100:
            errors.append(FieldError(f"barcodes[{i}]", "each barcode is 1 to 100 characters"))
    if errors:
        raise ValidationFailed("invalid product", details=errors)


def create_product(uow: UnitOfWork, *, details: ProductFields, preferences: ReturnPreferences | None) -> Product:
    """A new product of the calling merchant; `sku` is unique per merchant."""
    _validate_product_fields(
        sku=details.sku,
        name=details.name,
        minimum_shelf_life_days=details.minimum_shelf_life_days,
        barcodes=details.barcodes,
    )
    merchant_id = _merchant_id(uow)
    if uow.products.find_by_sku(merchant_id, details.sku) is not None:
        raise Conflict(f"sku {details.sku} already exists", code=ProductErrorCode.DUPLICATE_SKU)
    product = Product(
        id=new_id("prd"),
        merchant_id=merchant_id,
        sku=details.sku,
        name=details.name,
        created_at=uow.now,
        updated_at=uow.now,
        barcodes=list(details.barcodes),
        category=details.category,
        is_lot_tracked=details.is_lot_tracked,
        minimum_shelf_life_days=details.minimum_shelf_life_days,
        is_kitted=details.is_kitted,
        is_sioc=details.is_sioc,
        is_dangerous_goods=details.is_dangerous_goods,
    )
    if preferences is not None:
        product.set_preferences(preferences, uow.now)
    uow.products.add(product)
    uow.commit()
    return product


def get_product(uow: UnitOfWork, *, product_id: str) -> Product:
    """One product of the calling merchant."""
    return uow.products.get(product_id)


def update_product(uow: UnitOfWork, *, product_id: str, changes: ProductChanges) -> Product:
    """Change product details; a new `sku` must still be unique."""
    _validate_product_fields(
        sku=changes.sku,
        name=changes.name,
        minimum_shelf_life_days=changes.minimum_shelf_life_days,
        barcodes=changes.barcodes,
    )
    product = uow.products.get(product_id)
    new_sku = changes.sku
    if new_sku and new_sku != product.sku and uow.products.find_by_sku(product.merchant_id, new_sku):
        raise Conflict(f"sku {new_sku} already exists", code=ProductErrorCode.DUPLICATE_SKU)
    for name, value in changes.given().items():
        setattr(product, name, value)
    product.updated_at = uow.now
    uow.commit()
    return product


def list_products(uow: UnitOfWork, *, filters: ProductFilters, cursor: str | None, limit: int) -> Page[Product]:
    """One keyset page of the catalog, by SKU."""
    return uow.products.list(filters, cursor, limit)


def put_preferences(uow: UnitOfWork, *, product_id: str, preferences: ReturnPreferences) -> Product:
    """Replace a product's preferences; marks them configured."""
    product = uow.products.get(product_id)
    product.set_preferences(preferences, uow.now)
    uow.commit()
    return product


@dataclass
class PreferenceRow:
    """One row of a bulk update; absent fields keep the product's current value."""

    sku: str
    return_action: str | None = None
    rts_action: str | None = None
    backup_action: str | None = None
    inspection_steps: list[str] | None = None


def _apply_row(product: Product, row: PreferenceRow, prefix: str) -> tuple[ReturnPreferences | None, list[FieldError]]:
    errors: list[FieldError] = []
    changes: dict[str, Any] = {}
    for name, enum_cls in (("return_action", Action), ("rts_action", Action), ("backup_action", BackupAction)):
        value = getattr(row, name)
        if value is None:
            continue
        try:
            changes[name] = enum_cls(value)
        except ValueError:
            allowed = " | ".join(e.value for e in enum_cls)
            errors.append(FieldError(f"{prefix}.{name}", f"{value!r} is not one of {allowed}"))
    if row.inspection_steps is not None:
        step_errors = inspection_step_errors(row.inspection_steps, f"{prefix}.inspection_steps")
        errors += step_errors
        if not step_errors:
            changes["inspection_steps"] = tuple(row.inspection_steps)
    if errors:
        return None, errors
    return replace(product.preferences, **changes), []


@dataclass(frozen=True)
class PreferenceChange:
    product: Product
    before: ReturnPreferences
    after: ReturnPreferences


@dataclass(frozen=True)
class PreferencePlan:
    """What a bulk update would do: the change per row, or every row's problems."""

    changes: list[PreferenceChange]
    errors: list[FieldError]


def plan_preferences(
    uow: UnitOfWork, *, rows: list[PreferenceRow], label: str = "items", progress: Callable[[int], None] | None = None
) -> PreferencePlan:
    """Check every row and work out each product's new preferences, changing nothing."""
    require(bool(rows), label, "at least one row is needed")
    products = uow.products.by_skus(_merchant_id(uow), [r.sku for r in rows])
    errors: list[FieldError] = []
    changes: list[PreferenceChange] = []
    seen: set[str] = set()
    for i, row in enumerate(rows):
        prefix = f"{label}[{i}]"
        product = products.get(row.sku)
        if row.sku in seen:
            errors.append(FieldError(f"{prefix}.sku", f"sku {row.sku!r} appears more than once"))
            continue
        seen.add(row.sku)
        if product is None:
            errors.append(FieldError(f"{prefix}.sku", f"unknown sku {row.sku!r}"))
            continue
        preferences, row_errors = _apply_row(product, row, prefix)
        errors += row_errors
        if preferences is not None:
            changes.append(PreferenceChange(product, product.preferences, preferences))
        if progress is not None and i % 100 == 99:
            progress(i + 1)
    return PreferencePlan(changes, errors)


def bulk_update_preferences(
    uow: UnitOfWork, *, rows: list[PreferenceRow], label: str = "items", progress: Callable[[int], None] | None = None
) -> int:
    """All-or-nothing: every row is checked first; any bad row changes nothing. Returns how many were updated."""
    plan = plan_preferences(uow, rows=rows, label=label, progress=progress)
    if plan.errors:
        raise ValidationFailed(f"{len(plan.errors)} problem(s) in the rows; nothing was changed", details=plan.errors)
    for change in plan.changes:
        change.product.set_preferences(change.after, uow.now)
    uow.commit()
    if progress is not None:
        progress(len(rows))
    return len(plan.changes)


def parse_preferences_csv(text: str) -> list[PreferenceRow]:
    """Rows of the bulk CSV (header `sku,return_action,...,inspection_step_3`)."""
    if "\x00" in text:
        raise ValidationFailed("the CSV contains NUL characters", code=ProductErrorCode.INVALID_CSV)
    header, records = _read_csv(text)
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
    rows = []
    for record in records:
        steps_given = any(f"inspection_step_{n}" in header for n in (1, 2, 3))
        steps = [unescape_cell((record.get(f"inspection_step_{n}") or "").strip()) for n in (1, 2, 3)]
        rows.append(
            PreferenceRow(
                sku=unescape_cell((record.get("sku") or "").strip()),
                return_action=(record.get("return_action") or "").strip() or None,
                rts_action=(record.get("rts_action") or "").strip() or None,
                backup_action=(record.get("backup_action") or "").strip() or None,
                inspection_steps=[s for s in steps if s] if steps_given else None,
            )
        )
    return rows


def _read_csv(text: str) -> tuple[list[str], list[dict[str, Any]]]:
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        return list(reader.fieldnames or []), list(reader)
    except csv.Error as error:
        raise ValidationFailed(f"the CSV cannot be read: {error}", code=ProductErrorCode.INVALID_CSV)


EXPORT_BATCH = 1_000


def export_preferences_csv(uow: UnitOfWork) -> Iterator[str]:
    """Every product's preferences as CSV text, in pieces: products are read 1,000 at a time in SKU
    order, so an export of any catalog holds one batch in memory, not the catalog."""
    merchant_id = _merchant_id(uow)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    after: str | None = None
    while True:
        batch = uow.products.next_by_sku(merchant_id, after, EXPORT_BATCH)
        for product in batch:
            p = product.preferences
            steps = [*p.inspection_steps, "", "", ""][:3]
            cells = [product.sku, p.return_action.value, p.rts_action.value, p.backup_action.value, *steps]
            writer.writerow([safe_cell(cell) for cell in cells])
        yield out.getvalue()
        out.seek(0)
        out.truncate()
        if len(batch) < EXPORT_BATCH:
            return
        after = batch[-1].sku
