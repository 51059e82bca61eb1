"""Products, always scoped to the caller's merchant."""

from __future__ import annotations

import builtins

from sqlalchemy import String, cast, func, or_, select
from sqlalchemy.orm import Session

from boomerang.adapters.repositories.base import Page, already_loaded, apply_scope, keyset_page
from boomerang.adapters.repositories.chunks import chunks
from boomerang.adapters.repositories.returns import escape_like
from boomerang.adapters.tables import core, ledger
from boomerang.domain.error_codes import ProductErrorCode
from boomerang.domain.errors import NotFound
from boomerang.domain.inventory import Bucket
from boomerang.domain.products import Product
from boomerang.domain.tenants import Principal
from boomerang.services.queries import ProductFilters


class ProductRepository:
    def __init__(self, session: Session, principal: Principal) -> None:
        self.session = session
        self.principal = principal

    def _select(self):  # type: ignore[no-untyped-def]
        return apply_scope(select(Product), self.principal, core.products.c.merchant_id)

    def add(self, product: Product) -> None:
        self.session.add(product)

    def get(self, product_id: str) -> Product:
        product = self.session.execute(self._select().where(core.products.c.id == product_id)).scalar_one_or_none()
        if product is None:
            raise NotFound(f"product {product_id} not found", code=ProductErrorCode.PRODUCT_NOT_FOUND)
        return product

    def find_by_sku(self, merchant_id: str, sku: str) -> Product | None:
        stmt = self._select().where(core.products.c.merchant_id == merchant_id, core.products.c.sku == sku)
        return self.session.execute(stmt).scalar_one_or_none()

    def by_skus(self, merchant_id: str, skus: list[str]) -> dict[str, Product]:
        found: dict[str, Product] = {}
        for part in chunks(sorted(set(skus))):
            stmt = self._select().where(core.products.c.merchant_id == merchant_id, core.products.c.sku.in_(part))
            found.update({p.sku: p for p in self.session.execute(stmt).scalars()})
        return found

    def by_ids(self, ids: list[str]) -> dict[str, Product]:
        found: dict[str, Product] = {}
        for part in chunks(sorted(set(ids))):
            stmt = self._select().where(core.products.c.id.in_(part))
            found.update({p.id: p for p in self.session.execute(stmt).scalars()})
        return found

    def next_by_sku(self, merchant_id: str, after_sku: str | None, limit: int) -> builtins.list[Product]:
        """Up to `limit` of the merchant's products in SKU order, after `after_sku` (keyset batches)."""
        stmt = self._select().where(core.products.c.merchant_id == merchant_id)
        if after_sku is not None:
            stmt = stmt.where(core.products.c.sku > after_sku)
        return list(self.session.execute(stmt.order_by(core.products.c.sku).limit(limit)).scalars())

    def all_for_merchant(self, merchant_id: str) -> list[Product]:
        stmt = self._select().where(core.products.c.merchant_id == merchant_id)
        return list(self.session.execute(stmt.order_by(core.products.c.sku)).scalars())

    def list(self, filters: ProductFilters, cursor: str | None, limit: int) -> Page[Product]:
        t = core.products
        stmt = self._select()
        if filters.sku is not None:
            stmt = stmt.where(t.c.sku == filters.sku)
        if filters.q:
            needle = f"%{escape_like(filters.q.lower())}%"
            stmt = stmt.where(
                or_(
                    func.lower(t.c.sku).like(needle, escape="\\"),
                    func.lower(t.c.name).like(needle, escape="\\"),
                    func.lower(cast(t.c.barcodes, String)).like(needle, escape="\\"),
                )
            )
        if filters.category is not None:
            stmt = stmt.where(t.c.category == filters.category)
        if filters.preferences_configured is not None:
            stmt = stmt.where(t.c.preferences_configured == filters.preferences_configured)
        if filters.quarantined is not None:
            le = ledger.ledger_entries
            in_quarantine = (
                select(func.sum(le.c.quantity))
                .where(le.c.product_id == t.c.id, le.c.bucket == Bucket.Quarantine)
                .scalar_subquery()
            )
            has_stock = func.coalesce(in_quarantine, 0) > 0  # no entries: NULL, which NOT would keep NULL
            stmt = stmt.where(has_stock if filters.quarantined else ~has_stock)
        return keyset_page(self.session, stmt, t.c.id, cursor, limit, newest_first=False)

    def of_lines(self, product_ids: builtins.list[str]) -> dict[str, Product]:
        """The products of return or work-order lines the caller can already see, by id. Not scoped
        again: an operator acts across merchants, and a line names only its own merchant's products."""
        found, missing = already_loaded(self.session, Product, product_ids)
        for part in chunks(sorted(missing)):
            stmt = select(Product).where(core.products.c.id.in_(part))
            found.update({p.id: p for p in self.session.execute(stmt).scalars()})
        return found
