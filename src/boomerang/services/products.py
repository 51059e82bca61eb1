"""Products and their return preferences: one by one, in bulk, and as CSV."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from typing import TypeVar

from boomerang.domain.error_codes import ProductErrorCode
from boomerang.domain.errors import Conflict, FieldError, ValidationFailed, require
from boomerang.domain.ids import new_id
from boomerang.domain.products import (
    Action,
    BackupAction,
    Category,
    PreferenceValues,
    Product,
    ReturnPreferences,
    inspection_step_errors,
    product_field_errors,
)
from boomerang.domain.queries import Page
from boomerang.services.queries import ProductFilters
from boomerang.services.unit_of_work import UnitOfWork
from boomerang.spreadsheet_cells import csv_pieces

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
    errors = product_field_errors(
        sku=sku, name=name, minimum_shelf_life_days=minimum_shelf_life_days, barcodes=barcodes
    )
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


@dataclass(frozen=True)
class PreferenceRow:
    """One row of a bulk update (a command); absent fields (None) keep the product's current value.
    The values are as the merchant sent them: checking them is this module's job, row by row."""

    sku: str
    return_action: str | None = None
    rts_action: str | None = None
    backup_action: str | None = None
    inspection_steps: tuple[str, ...] | None = None


@dataclass(frozen=True)
class CheckedRow:
    """A row checked: the values it sets, or its problems."""

    values: PreferenceValues | None
    errors: list[FieldError]


@dataclass(frozen=True)
class PreferenceChange:
    """What one row of a bulk update does to its product (the preview)."""

    product_id: str
    sku: str
    before: ReturnPreferences
    after: ReturnPreferences


@dataclass(frozen=True)
class PreferencePlan:
    """What a bulk update would do: the change per row, or every row's problems."""

    changes: list[PreferenceChange]
    errors: list[FieldError]


@dataclass(frozen=True)
class BulkUpdateResult:
    """A bulk update that was applied: how many products it updated."""

    updated: int


# Rows are checked and written this many at a time: one query reads their products, one executemany
# writes them, so a bulk update holds one chunk in memory and never passes a database's parameter limit.
BULK_CHUNK = 2_000

E = TypeVar("E", Action, BackupAction)


_ACTIONS = {a.value: a for a in Action}
_BACKUP_ACTIONS = {a.value: a for a in BackupAction}


def _choice(members: Mapping[str, E], value: str | None, where: str, name: str, errors: list[FieldError]) -> E | None:
    if value is None:
        return None
    member = members.get(value)
    if member is None:
        allowed = " | ".join(members)
        errors.append(FieldError(f"{where}.{name}", f"{value!r} is not one of {allowed}"))
    return member


def _check_row(row: PreferenceRow, prefix: str) -> CheckedRow:
    """The values the row sets, or every problem of the row (its fields named under `prefix`)."""
    errors: list[FieldError] = []
    return_action = _choice(_ACTIONS, row.return_action, prefix, "return_action", errors)
    rts_action = _choice(_ACTIONS, row.rts_action, prefix, "rts_action", errors)
    backup_action = _choice(_BACKUP_ACTIONS, row.backup_action, prefix, "backup_action", errors)
    steps = row.inspection_steps
    if steps is not None:
        errors += inspection_step_errors(steps, f"{prefix}.inspection_steps")
    if errors:
        return CheckedRow(None, errors)
    return CheckedRow(PreferenceValues(return_action, rts_action, backup_action, steps), [])


def _check_chunk(
    found: Mapping[str, object], chunk: list[PreferenceRow], first: int, seen: set[str], label: str
) -> tuple[list[tuple[str, PreferenceValues]], list[FieldError]]:
    """Rows `first`... of the upload, each with the values it sets, against the products `found` by SKU;
    `seen` holds the SKUs of every earlier row, so a SKU given twice is caught across chunks."""
    errors: list[FieldError] = []
    checked: list[tuple[str, PreferenceValues]] = []
    for i, row in enumerate(chunk, start=first):
        prefix = f"{label}[{i}]"
        if row.sku in seen:
            errors.append(FieldError(f"{prefix}.sku", f"sku {row.sku!r} appears more than once"))
            continue
        seen.add(row.sku)
        if row.sku not in found:
            errors.append(FieldError(f"{prefix}.sku", f"unknown sku {row.sku!r}"))
            continue
        result = _check_row(row, prefix)
        errors += result.errors
        if result.values is not None:
            checked.append((row.sku, result.values))
    return checked, errors


def _chunks(rows: Iterable[PreferenceRow]) -> Iterator[list[PreferenceRow]]:
    chunk: list[PreferenceRow] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == BULK_CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def plan_preferences(uow: UnitOfWork, *, rows: Iterable[PreferenceRow], label: str = "items") -> PreferencePlan:
    """Check every row and work out each product's new preferences, changing nothing (the preview of an
    upload: it holds every change, so it is for uploads a page can show)."""
    merchant_id = _merchant_id(uow)
    changes: list[PreferenceChange] = []
    errors: list[FieldError] = []
    seen: set[str] = set()
    count = 0
    for chunk in _chunks(rows):
        products = uow.products.preferences_by_skus(merchant_id, [r.sku for r in chunk])
        checked, chunk_errors = _check_chunk(products, chunk, count, seen, label)
        for sku, values in checked:
            product = products[sku]
            changes.append(
                PreferenceChange(product.product_id, sku, product.preferences, values.applied_to(product.preferences))
            )
        errors += chunk_errors
        count += len(chunk)
    require(count > 0, label, "at least one row is needed")
    return PreferencePlan(changes, errors)


def bulk_update_preferences(
    uow: UnitOfWork,
    *,
    rows: Iterable[PreferenceRow],
    label: str = "items",
    progress: Callable[[int], None] | None = None,
) -> BulkUpdateResult:
    """All-or-nothing: any bad row changes nothing, and every bad row is reported.

    `rows` is read once, BULK_CHUNK rows at a time (a stream: an upload is never held whole). Each chunk
    is checked against its products, found in one query, and while no row has failed it is written at
    once with one executemany UPDATE of the columns its rows give, all in the one transaction of `uow`:
    a bad row in a later chunk rolls back what the earlier chunks wrote, and raises.
    After the first bad row the remaining rows are only checked, so the answer lists every problem."""
    merchant_id = _merchant_id(uow)
    errors: list[FieldError] = []
    seen: set[str] = set()
    count = updated = 0
    for chunk in _chunks(rows):
        ids = uow.products.ids_by_skus(merchant_id, [r.sku for r in chunk])
        checked, chunk_errors = _check_chunk(ids, chunk, count, seen, label)
        errors += chunk_errors
        if not errors:
            uow.products.write_preferences(merchant_id, [(ids[sku], values) for sku, values in checked], uow.now)
            updated += len(checked)
        count += len(chunk)
        if progress is not None:
            progress(count)
    require(count > 0, label, "at least one row is needed")
    if errors:
        if updated:
            uow.rollback()  # the chunks written before the first bad row; whatever the caller does next
        raise ValidationFailed(f"{len(errors)} problem(s) in the rows; nothing was changed", details=errors)
    uow.commit()
    return BulkUpdateResult(updated)


EXPORT_BATCH = 1_000


def export_preferences_csv(uow: UnitOfWork) -> Iterator[str]:
    """Every product's preferences as CSV text, in pieces: products are read 1,000 at a time in SKU
    order, so an export of any catalog holds one batch in memory, not the catalog."""
    return csv_pieces(CSV_COLUMNS, _preference_cells(uow))


def _preference_cells(uow: UnitOfWork) -> Iterator[list[str]]:
    merchant_id = _merchant_id(uow)
    after: str | None = None
    while True:
        batch = uow.products.next_by_sku(merchant_id, after, EXPORT_BATCH)
        for product in batch:
            p = product.preferences
            steps = [*p.inspection_steps, "", "", ""][:3]
            yield [product.sku, p.return_action.value, p.rts_action.value, p.backup_action.value, *steps]
        if len(batch) < EXPORT_BATCH:
            return
        after = batch[-1].sku
