"""Products as the dashboard shows them: advice in plain words, stock per FC and lot."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from boomerang.domain.labels import ships_as_dangerous_goods
from boomerang.domain.products import AdviceCode, Product
from boomerang.domain.tenants import FulfillmentCenter
from boomerang.services.queries import Page, ProductFilters, StockFilters
from boomerang.services.unit_of_work import UnitOfWork

# A product picker shows at most this many matches of what was typed (search as you type, never the catalog).
PICKER_LIMIT = 20


def return_advice(product: Product) -> list[str]:
    """What a merchant should know before a unit of this product comes back, from the domain's rules."""
    notes = []
    if product.is_ineligible:
        notes.append(f"{product.sku} will be disposed: ineligible category ({product.category.value})")
    notes += [
        f"{product.sku}: {note.message}" for note in product.advice() if note.code is AdviceCode.RestockNotAdvised
    ]
    if ships_as_dangerous_goods(product):
        notes.append(f"{product.sku} is dangerous goods: prepaid label only")
    return notes


@dataclass(frozen=True)
class StockLine:
    fulfillment_center: str
    lot_number: str | None
    expiration_date: date | None
    sellable: int
    quarantined: int


@dataclass(frozen=True)
class ProductDetails:
    product: Product
    stock: list[StockLine]
    advice: list[str]


@dataclass(frozen=True)
class PickerProductView:
    """A product as a picker offers it: what identifies it, and what to know before it comes back."""

    sku: str
    name: str
    barcodes: tuple[str, ...]
    advice: tuple[str, ...]

    @classmethod
    def of(cls, product: Product) -> PickerProductView:
        return cls(product.sku, product.name, tuple(product.barcodes), tuple(return_advice(product)))


def picker_matches(uow: UnitOfWork, *, q: str, limit: int = PICKER_LIMIT) -> list[PickerProductView]:
    """The caller's products matching what was typed into a picker: SKU prefix first, then SKU, name or
    barcode containing it; at most `limit` (PICKER_LIMIT at most), read through an index."""
    merchant_id = uow.require_merchant()
    found = uow.products.search_for_picker(merchant_id, q[:100], min(limit, PICKER_LIMIT))
    return [PickerProductView.of(p) for p in found]


def advice_for_skus(uow: UnitOfWork, *, skus: list[str]) -> dict[str, list[str]]:
    """The advice for each of the caller's products among `skus` (a form's lines) that has any."""
    products = uow.products.by_skus(uow.require_merchant(), [s for s in skus if s])
    return {sku: notes for sku, product in products.items() if (notes := return_advice(product))}


def fulfillment_centers(uow: UnitOfWork) -> list[FulfillmentCenter]:
    return uow.tenants.fulfillment_centers()


def products_page(uow: UnitOfWork, *, filters: ProductFilters, cursor: str | None, limit: int = 50) -> Page[Product]:
    """One keyset page of the catalog."""
    return uow.products.list(filters, cursor, limit)


def product_details(uow: UnitOfWork, *, product_id: str) -> ProductDetails:
    """A product with its stock per FC and lot (sellable and quarantined) and the advice that applies."""
    product = uow.products.get(product_id)
    fcs = {fc.id: fc.name for fc in uow.tenants.fulfillment_centers()}
    rows = uow.stock.stock(StockFilters(product_id=product.id), None, 500).items
    stock = [
        StockLine(
            fcs.get(r.fulfillment_center_id, r.fulfillment_center_id),
            r.lot_number,
            r.expiration_date,
            int(r.sellable),
            int(r.quarantine),
        )
        for r in rows
    ]
    unconfigured = [a.message for a in product.advice() if a.code is AdviceCode.PreferencesNotConfigured]
    return ProductDetails(product, stock, return_advice(product) + unconfigured)
