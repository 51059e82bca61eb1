"""Products, always scoped to the caller's merchant."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Dialect,
    String,
    Text,
    any_,
    bindparam,
    cast,
    func,
    literal_column,
    or_,
    select,
    table,
    update,
)
from sqlalchemy import column as sql_column
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeEngine, UserDefinedType

from boomerang.adapters.repositories.base import Page, already_loaded, apply_scope, built_once, keyset_page, scope_key
from boomerang.adapters.repositories.chunks import chunks
from boomerang.adapters.repositories.returns import escape_like
from boomerang.adapters.repositories.rows import products_by_id
from boomerang.adapters.tables import core, ledger
from boomerang.adapters.tables.product_search import FTS_TABLE as PICKER_FTS
from boomerang.adapters.tables.product_search import MIN_SUBSTRING, PRODUCT_ROWID_MASK
from boomerang.adapters.tables.product_search import TOP as PICKER_TOP
from boomerang.adapters.tables.product_search import fts_rowid_range as picker_rowid_range
from boomerang.adapters.tables.search import fts_phrase, index_trigrams, sampled, tenant_key
from boomerang.domain.error_codes import ProductErrorCode
from boomerang.domain.errors import NotFound
from boomerang.domain.inventory import Bucket
from boomerang.domain.products import PreferenceValues, Product, ReturnPreferences, SkuPreferences
from boomerang.domain.queries import ProductFilters
from boomerang.domain.tenants import Principal


class ProductRepository:
    def __init__(self, session: Session, principal: Principal, *, rows: bool = False) -> None:
        self.session = session
        self.principal = principal
        # A read-only unit of work reads the products it renders as rows (see rows.py), not through the ORM.
        self.rows = rows
        # Products a use case looked up by id or SKU, kept referenced so the session's (weak) identity map
        # still holds them when the result is rendered (`of_lines` then reads none of them again).
        # Lists and exports are not kept: they may hold a whole catalogue.
        self._held: dict[str, Product] = {}

    def _hold(self, products: dict[str, Product]) -> dict[str, Product]:
        self._held.update((p.id, p) for p in products.values())
        return products

    def _select(self):  # type: ignore[no-untyped-def]
        return apply_scope(select(Product), self.principal, core.products.c.merchant_id)

    def add(self, product: Product) -> None:
        self.session.add(product)

    def get(self, product_id: str) -> Product:
        product = self.session.execute(self._select().where(core.products.c.id == product_id)).scalar_one_or_none()
        if product is None:
            raise NotFound(f"product {product_id} not found", code=ProductErrorCode.PRODUCT_NOT_FOUND)
        self._held[product.id] = product
        return product

    def find_by_sku(self, merchant_id: str, sku: str) -> Product | None:
        stmt = self._select().where(core.products.c.merchant_id == merchant_id, core.products.c.sku == sku)
        return self.session.execute(stmt).scalar_one_or_none()

    def by_skus(self, merchant_id: str, skus: list[str]) -> dict[str, Product]:
        found: dict[str, Product] = {}
        t = core.products
        stmt = built_once(
            ("products by sku", *scope_key(self.principal)),
            lambda: self._select().where(
                t.c.merchant_id == bindparam("merchant_id"), t.c.sku.in_(bindparam("skus", expanding=True))
            ),
        )
        for part in chunks(sorted(set(skus))):
            rows = self.session.execute(stmt, {"merchant_id": merchant_id, "skus": part}).scalars()
            found.update({p.sku: p for p in rows})
        self._hold(found)
        return found

    def ids_by_skus(self, merchant_id: str, skus: Sequence[str]) -> dict[str, str]:
        """The ids of the merchant's products among `skus`, by SKU, in ONE query: the caller bounds `skus`
        (a chunk of a bulk upload, a few thousand) below the databases' parameter limits. Plain rows, not
        ORM objects: nothing enters the session, so a bulk update holds one chunk at a time."""
        t = core.products
        stmt = apply_scope(select(t.c.sku, t.c.id), self.principal, t.c.merchant_id).where(
            t.c.merchant_id == merchant_id, self._sku_among(skus)
        )
        return {sku: product_id for sku, product_id in self.session.execute(stmt)}

    def _sku_among(self, skus: Sequence[str]) -> ColumnElement[bool]:
        """`sku IN (...)`; on PostgreSQL `sku = ANY(%(array)s)`, one parameter instead of thousands (which
        psycopg would parse out of the statement and the server plan afresh, chunk after chunk)."""
        wanted = sorted(set(skus))
        if self.session.get_bind().dialect.name == "postgresql":
            return core.products.c.sku == any_(bindparam("skus", wanted, type_=postgresql.ARRAY(String)))
        return core.products.c.sku.in_(wanted)

    def preferences_by_skus(self, merchant_id: str, skus: Sequence[str]) -> dict[str, SkuPreferences]:
        """As `ids_by_skus`, with each product's current preferences (one query)."""
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
        ).where(t.c.merchant_id == merchant_id, self._sku_among(skus))
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

    def write_preferences(
        self, merchant_id: str, writes: Sequence[tuple[str, PreferenceValues]], now: datetime
    ) -> None:
        """New preferences of many products, by product id: one `executemany` UPDATE per set of given
        columns (so one statement for a chunk of CSV rows, which all give the same columns); the other
        columns keep their values. Each product is marked configured and its `updated_at` set to `now`,
        as `Product.set_preferences` does (products have no version). The rows are updated in primary
        key order within the chunk, the order of every other product lock (RowLocks, the ORM's flush).

        Each distinct value is converted by its column's type once, not once per row (a chunk's rows
        share `now`, `True` and a handful of actions), and goes out as converted: what is stored is what
        the column types store."""
        t = core.products
        dialect = self.session.get_bind().dialect
        by_columns: dict[tuple[str, ...], builtins.list[tuple[str, PreferenceValues]]] = {}
        for write in sorted(writes, key=lambda w: w[0]):  # rows are locked in pk order, as RowLocks takes them
            by_columns.setdefault(write[1].given(), []).append(write)
        constants = {
            "b_merchant_id": _Converter(t.c.merchant_id.type, dialect)(merchant_id),
            "b_configured": _Converter(t.c.preferences_configured.type, dialect)(True),
            "b_updated_at": _Converter(t.c.updated_at.type, dialect)(now),
        }
        for columns, group in by_columns.items():
            stmt = (
                update(t)
                .where(t.c.id == _raw("b_id"), t.c.merchant_id == _raw("b_merchant_id"))
                .values(
                    {
                        **{name: _raw(f"b_{name}") for name in columns},
                        "preferences_configured": _raw("b_configured"),
                        "updated_at": _raw("b_updated_at"),
                    }
                )
            )
            convert = [(name, f"b_{name}", _Converter(t.c[name].type, dialect)) for name in columns]
            id_of = _Converter(t.c.id.type, dialect)
            params = [
                {
                    "b_id": id_of(product_id),
                    **constants,
                    **{key: to_db(getattr(values, name)) for name, key, to_db in convert},
                }
                for product_id, values in group
            ]
            self.session.execute(stmt, params)

    def by_ids(self, ids: list[str]) -> dict[str, Product]:
        found: dict[str, Product] = {}
        for part in chunks(sorted(set(ids))):
            stmt = self._select().where(core.products.c.id.in_(part))
            found.update({p.id: p for p in self.session.execute(stmt).scalars()})
        return self._hold(found)

    def next_by_sku(self, merchant_id: str, after_sku: str | None, limit: int) -> builtins.list[Product]:
        """Up to `limit` of the merchant's products in SKU order, after `after_sku` (keyset batches)."""
        stmt = self._select().where(core.products.c.merchant_id == merchant_id)
        if after_sku is not None:
            stmt = stmt.where(core.products.c.sku > after_sku)
        return list(self.session.execute(stmt.order_by(core.products.c.sku).limit(limit)).scalars())

    def all_for_merchant(self, merchant_id: str) -> list[Product]:
        stmt = self._select().where(core.products.c.merchant_id == merchant_id)
        return list(self.session.execute(stmt.order_by(core.products.c.sku)).scalars())

    def search_for_picker(self, merchant_id: str, needle: str, limit: int) -> builtins.list[Product]:
        """Up to `limit` of the merchant's products for a picker: those whose SKU starts with `needle` first
        (in SKU order), then those whose SKU, name or barcodes contain it (three characters or more, in SKU
        order), ignoring case. Each part is read through an index and stops at the limit
        (tables/product_search.py): the cost follows the limit, not the catalog's size."""
        needle = needle.strip().lower()
        if not needle or limit <= 0:
            return []
        ids = self._ids_by_sku_prefix(merchant_id, needle, limit)
        if len(ids) < limit and len(needle) >= MIN_SUBSTRING:
            found = set(ids)
            more = [i for i in self._ids_containing(merchant_id, needle, limit + len(ids)) if i not in found]
            ids += more[: limit - len(ids)]
        products = self.by_ids(ids)
        prefixed = [products[i] for i in ids if i in products]
        return sorted(prefixed, key=lambda p: (not p.sku.lower().startswith(needle), p.sku.lower(), p.sku))

    def _ids_by_sku_prefix(self, merchant_id: str, needle: str, limit: int) -> builtins.list[str]:
        """Ids of the merchant's products whose SKU starts with `needle` (lower-cased): a range of the index
        on (merchant_id, lower(sku)), `sku COLLATE NOCASE` on SQLite, in byte order on both databases."""
        t = core.products
        postgres = self.session.get_bind().dialect.name == "postgresql"
        key = func.lower(t.c.sku).collate("C") if postgres else t.c.sku.collate("NOCASE")
        stmt = (
            select(t.c.id)
            .where(t.c.merchant_id == merchant_id, key >= needle, key < needle + PICKER_TOP)
            .order_by(key)
            .limit(limit)
        )
        return list(self.session.execute(stmt).scalars())

    def _ids_containing(self, merchant_id: str, needle: str, limit: int) -> builtins.list[str]:
        """Ids of up to `limit` of the merchant's products whose SKU, name or barcodes contain `needle`."""
        t = core.products
        dialect = self.session.get_bind().dialect.name
        if dialect == "sqlite":
            return self._ids_from_fts(merchant_id, needle, limit)
        contains = or_(*(func.strpos(func.lower(c), needle) > 0 for c in (t.c.sku, t.c.name, cast(t.c.barcodes, Text))))
        stmt = select(t.c.id).where(t.c.merchant_id == merchant_id, contains)
        trigrams = sampled(index_trigrams(needle, dialect))
        if dialect == "postgresql" and trigrams and "|" not in merchant_id:
            keys = func.boomerang_product_keys(t.c.merchant_id, t.c.sku, t.c.name, t.c.barcodes)
            wanted = bindparam("picker_keys", [tenant_key(merchant_id, g) for g in trigrams], type_=ARRAY(Text))
            stmt = stmt.where(keys.bool_op("@>")(wanted))
        # else (no trigram of letters and digits): the merchant's rows, read until `limit` match
        return list(self.session.execute(stmt.limit(limit)).scalars())

    def _ids_from_fts(self, merchant_id: str, needle: str, limit: int) -> builtins.list[str]:
        """SQLite: the needle as an FTS5 phrase in the merchant's rowid range of the trigram table."""
        merchant_rowid = self.session.execute(
            select(literal_column("rowid")).select_from(core.merchants).where(core.merchants.c.id == merchant_id)
        ).scalar_one_or_none()
        if merchant_rowid is None:
            return []
        fts = table(PICKER_FTS, sql_column("rowid"))
        rowids = (
            select((fts.c.rowid.op("&")(PRODUCT_ROWID_MASK)).label("product_rowid"))
            .where(literal_column(PICKER_FTS).op("MATCH")(fts_phrase(needle)))
            .where(fts.c.rowid.between(*picker_rowid_range(merchant_rowid)))
            .limit(limit)
            .subquery()
        )
        t = core.products
        stmt = select(t.c.id).where(literal_column("products.rowid").in_(select(rowids.c.product_rowid)))
        return list(self.session.execute(stmt.where(t.c.merchant_id == merchant_id)).scalars())

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
        if self.rows:  # held by this repository, or read as rows (never in the session)
            found = {i: self._held[i] for i in product_ids if i in self._held}
            missing = [i for i in dict.fromkeys(product_ids) if i not in found]
        else:
            found, missing = already_loaded(self.session, Product, product_ids)
        for part in chunks(sorted(missing)):
            found.update(products_by_id(self.session, part) if self.rows else self._by_ids(part))
        return self._hold(found)

    def _by_ids(self, ids: Sequence[str]) -> dict[str, Product]:
        stmt = select(Product).where(core.products.c.id.in_(ids))
        return {p.id: p for p in self.session.execute(stmt).scalars()}


class _Converted(UserDefinedType[Any]):
    """The type of a parameter whose values are already converted for the database: no conversion, no
    cast (NullType would not do: SQLAlchemy gives a NullType parameter its column's type)."""

    cache_ok = True

    def get_col_spec(self, **kw: Any) -> str:
        raise NotImplementedError("a parameter type, never a column's")

    def bind_processor(self, dialect: Dialect) -> None:
        return None


def _raw(name: str) -> BindParameter[Any]:
    """A parameter whose values arrive already converted for the database (see `_Converter`)."""
    return bindparam(name, type_=_Converted())


class _Converter:
    """A column type's conversion of Python values for the database (its bind processor), remembered
    per distinct value."""

    def __init__(self, type_: TypeEngine[Any], dialect: Dialect) -> None:
        self.process = type_.dialect_impl(dialect).bind_processor(dialect)
        self.done: dict[Any, Any] = {}

    def __call__(self, value: Any) -> Any:
        if self.process is None:
            return value
        try:
            return self.done[value]
        except KeyError:
            converted = self.done[value] = self.process(value)
            return converted
