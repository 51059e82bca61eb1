"""Products, always scoped to the caller's merchant."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from datetime import datetime
from itertools import groupby

from sqlalchemy import String, bindparam, cast, func, or_, select, update
from sqlalchemy.orm import Session

from boomerang.adapters.repositories.base import Page, apply_scope, keyset_page
from boomerang.adapters.repositories.chunks import chunks
from boomerang.adapters.repositories.returns import escape_like
from boomerang.adapters.tables import core, ledger
from boomerang.domain.error_codes import ProductErrorCode
from boomerang.domain.errors import NotFound
from boomerang.domain.inventory import Bucket
from boomerang.domain.products import PreferenceWrite, Product, ReturnPreferences, SkuPreferences
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

    def preferences_by_skus(self, merchant_id: str, skus: Sequence[str]) -> dict[str, SkuPreferences]:
        """The preferences of the merchant's products among `skus`, by SKU, in ONE query: the caller bounds
        `skus` (a chunk of a bulk upload, a few thousand) below the databases' parameter limits. Plain
        rows, not ORM objects: nothing enters the session, so a bulk update holds one chunk at a time."""
        t = core.products
        stmt = apply_scope(
            select(
                t.c.id,
                t.c.sku,
                t.c.return_action,
                t.c.rts_action,
                t.c.backup_action,
                t.c.inspection_steps,
                t.c.preferences_configured,
            ),
            self.principal,
            t.c.merchant_id,
        ).where(t.c.merchant_id == merchant_id, t.c.sku.in_(sorted(set(skus))))
        return {
            row.sku: SkuPreferences(
                row.id,
                row.sku,
                ReturnPreferences(
                    row.return_action,
                    row.rts_action,
                    row.backup_action,
                    tuple(row.inspection_steps),
                    row.preferences_configured,
                ),
            )
            for row in self.session.execute(stmt)
        }

    def write_preferences(self, merchant_id: str, writes: Sequence[PreferenceWrite], now: datetime) -> None:
        """New preferences of many products: one `executemany` UPDATE per set of changed columns (one
        statement for a chunk of CSV rows, which all give the same columns). Each product is marked
        configured and its `updated_at` set to `now`, as `Product.set_preferences` does."""
        t = core.products

        def columns(write: PreferenceWrite) -> tuple[str, ...]:
            return tuple(sorted(write.changed))

        for changed, group in groupby(sorted(writes, key=columns), key=columns):
            values = {name: bindparam(f"b_{name}", type_=t.c[name].type) for name in changed}
            stmt = (
                update(t)
                .where(t.c.id == bindparam("b_id"), t.c.merchant_id == bindparam("b_merchant_id"))
                .values(**values, preferences_configured=True, updated_at=now)
            )
            params = [
                {
                    "b_id": w.product_id,
                    "b_merchant_id": merchant_id,
                    **{f"b_{name}": getattr(w.preferences, name) for name in changed},
                }
                for w in group
            ]
            self.session.execute(stmt, params)

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
        found: dict[str, Product] = {}
        for part in chunks(sorted(set(product_ids))):
            stmt = select(Product).where(core.products.c.id.in_(part))
            found.update({p.id: p for p in self.session.execute(stmt).scalars()})
        return found
