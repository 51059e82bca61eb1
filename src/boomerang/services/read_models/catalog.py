"""Products as the dashboard shows them: advice in plain words, stock per FC and lot."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from boomerang.domain.labels import ships_as_dangerous_goods
from boomerang.domain.products import AdviceCode, Product
from boomerang.domain.tenants import FulfillmentCenter
from boomerang.services.queries import Page, ProductFilters, StockFilters
from boomerang.services.unit_of_work import UnitOfWork

PICKER_LIMIT = 500


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


def picker_products(uow: UnitOfWork) -> list[Product]:
    """The catalog for a product picker (first PICKER_LIMIT by SKU)."""
    return uow.products.all_for_merchant(uow.principal.merchant_id or "")[:PICKER_LIMIT]


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
