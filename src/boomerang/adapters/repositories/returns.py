"""Return orders, scoped to the caller's merchant or the operator's FCs."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    String,
    Text,
    and_,
    bindparam,
    cast,
    exists,
    func,
    literal_column,
    or_,
    select,
    table,
)
from sqlalchemy import column as sql_column
from sqlalchemy.orm import Session

from boomerang.adapters.orm import SEARCH_TEXT
from boomerang.adapters.repositories import written
from boomerang.adapters.repositories.base import (
    AggregateRepository,
    Page,
    apply_scope,
    built_once,
    keyset_page,
    scope_key,
)
from boomerang.adapters.repositories.rows import ORDER_COLUMNS, returns_of_rows
from boomerang.adapters.tables import core
from boomerang.adapters.tables.search import (
    DENSE_HITS,
    FTS_CANDIDATE_LIMIT,
    FTS_DRIVE_LIMIT,
    FTS_MIN_LENGTH,
    FTS_TABLE,
    RETURN_ROWID_MASK,
    SEARCH_SAMPLE,
    fts_phrase,
    fts_rowid_range,
    index_trigrams,
    rarest,
    sampled,
    tenant_key,
)
from boomerang.domain.error_codes import ReturnErrorCode
from boomerang.domain.errors import NotFound
from boomerang.domain.queries import ReturnFilters
from boomerang.domain.returns import ReturnOrder, ReturnStatus
from boomerang.domain.tenants import Principal

rt = core.return_orders
lt = core.return_lines


def search_text(order: ReturnOrder) -> str:
    """Everything `q` searches, lower-cased, one string per return."""
    parts: list[str | None] = [
        order.reference_id,
        order.tracking_number,
        order.label_tracking_number,
        order.customer_name,
        order.store_order_id,
        order.original_shipment_id,
    ]
    for line in order.lines:
        parts += [line.sku, line.name]
    return search_text_of(parts)


def search_text_of(parts: list[str | None]) -> str:
    """The search text of a return's parts, in `search_text`'s order (bulk loaders use this too)."""
    return "\n".join(p.lower() for p in parts if p)


def _day_start(d: date) -> datetime:
    return datetime.combine(d, time.min, tzinfo=UTC)


class ReturnRepository(AggregateRepository[ReturnOrder]):
    resource_type = "return"

    def __init__(self, session: Session, principal: Principal, *, rows: bool = False) -> None:
        super().__init__(session, principal)
        # A read-only unit of work lists returns as rows (see rows.py), not through the ORM.
        self.rows = rows

    def _select(self, *, by_rowid: bool = False, as_rows: bool = False):  # type: ignore[no-untyped-def]
        merchant: ColumnElement[Any] = rt.c.merchant_id
        fc: ColumnElement[Any] = rt.c.fulfillment_center_id
        if by_rowid:
            # SQLite: a unary + keeps the planner off the tenant indexes, so the rowid list drives the query.
            merchant, fc = (
                literal_column("+return_orders.merchant_id"),
                literal_column("+return_orders.fulfillment_center_id"),
            )
        stmt = select(*ORDER_COLUMNS) if as_rows else select(ReturnOrder)
        return apply_scope(stmt, self.principal, merchant, fc)

    def add(self, order: ReturnOrder) -> None:
        self.session.add(self._track(order))
        written.note(self.session, written.CREATED_RETURNS, order.id)

    def get(self, return_id: str, *, for_update: bool = False) -> ReturnOrder:
        """One return; `for_update` locks its row until commit (two operators: one waits)."""

        def build():  # type: ignore[no-untyped-def]
            stmt = self._select().where(rt.c.id == bindparam("return_id"))
            if for_update:
                stmt = stmt.with_for_update().execution_options(populate_existing=True)
            return stmt

        stmt = built_once(("return", for_update, *scope_key(self.principal)), build)
        order = self.session.execute(stmt, {"return_id": return_id}).scalar_one_or_none()
        if order is None:
            raise NotFound(f"return {return_id} not found", code=ReturnErrorCode.RETURN_NOT_FOUND)
        return self._track(order)

    def reference_in_use(self, merchant_id: str, reference_id: str, exclude_id: str | None = None) -> bool:
        stmt = _REFERENCE_IN_USE if exclude_id else _REFERENCE_USED
        params = {"merchant_id": merchant_id, "reference_id": reference_id, "exclude_id": exclude_id}
        return self.session.execute(stmt, params).first() is not None

    def live_return_with_tracking_number(
        self, merchant_id: str, tracking_number: str, exclude_id: str | None = None
    ) -> str | None:
        """The id of a non-cancelled return of the merchant whose tracking number (or label's) is this one."""
        stmt = select(rt.c.id).where(
            rt.c.merchant_id == merchant_id,
            or_(rt.c.tracking_number == tracking_number, rt.c.label_tracking_number == tracking_number),
            rt.c.status != ReturnStatus.Cancelled,
        )
        if exclude_id:
            stmt = stmt.where(rt.c.id != exclude_id)
        return self.session.execute(stmt.order_by(rt.c.id).limit(1)).scalar_one_or_none()

    def find_live_by_reference(self, merchant_id: str, reference_id: str) -> ReturnOrder | None:
        stmt = self._select().where(
            rt.c.merchant_id == merchant_id,
            rt.c.reference_id == reference_id,
            rt.c.status != ReturnStatus.Cancelled,
        )
        order = self.session.execute(stmt).scalar_one_or_none()
        return None if order is None else self._track(order)

    def sync_search_text(self, order: ReturnOrder) -> None:
        """Set the search text a changed return is written with (in its INSERT, or its version's UPDATE).

        Only when it differs from the text this session holds (never read: it is deferred), so a return
        whose text was already set leaves nothing to flush (no flush that writes nothing)."""
        text = search_text(order)
        if order.__dict__.get(SEARCH_TEXT) != text:
            setattr(order, SEARCH_TEXT, text)

    def list(self, filters: ReturnFilters, cursor: str | None, limit: int) -> Page[ReturnOrder]:
        search = self._search(filters.q.lower()) if filters.q else None
        by_rowid = search is not None and search.by_rowid
        stmt = self._filtered(self._select(by_rowid=by_rowid, as_rows=self.rows), filters, search)
        # With a rowid list, "+id" keeps SQLite from walking an id index to avoid the (small) sort.
        order = literal_column("+return_orders.id") if by_rowid else rt.c.id
        page: Page[Any] = keyset_page(self.session, stmt, order, cursor, limit, scalars=not self.rows)
        if self.rows:
            page = Page(returns_of_rows(self.session, page.items), page.next_cursor)
        self.seen.update((o.id, o) for o in page.items)
        return page

    def count_by_status(self, filters: ReturnFilters) -> dict[ReturnStatus, int]:
        """How many returns match `filters` (its status aside), per status."""
        base = apply_scope(
            select(rt.c.status, func.count()), self.principal, rt.c.merchant_id, rt.c.fulfillment_center_id
        )
        search = self._search(filters.q.lower()) if filters.q else None
        stmt = self._filtered(base, replace(filters, status=[]), search).group_by(rt.c.status)
        return {ReturnStatus(status): int(n) for status, n in self.session.execute(stmt)}

    def _filtered(self, stmt: Any, filters: ReturnFilters, search: _Search | None) -> Any:
        """`stmt` narrowed by `filters`, `q` as `_search` found it."""
        if filters.status:
            stmt = stmt.where(rt.c.status.in_(filters.status))
        for column, value in (
            (rt.c.return_type, filters.return_type),
            (rt.c.fulfillment_center_id, filters.fulfillment_center_id),
            (rt.c.reference_id, filters.reference_id),
            (rt.c.original_shipment_id, filters.original_shipment_id),
            (rt.c.store_order_id, filters.store_order_id),
        ):
            if value is not None:
                stmt = stmt.where(column == value)
        if filters.tracking_number is not None:
            stmt = stmt.where(
                or_(
                    rt.c.tracking_number == filters.tracking_number,
                    rt.c.label_tracking_number == filters.tracking_number,
                )
            )
        if filters.sku is not None:
            stmt = stmt.where(self._has_sku(filters.sku))
        if filters.action is not None:
            pattern = f'%"action": "{filters.action.value}"%'
            stmt = stmt.where(exists().where(lt.c.return_id == rt.c.id, cast(lt.c.actions_taken, String).like(pattern)))
        if filters.start_date is not None:
            stmt = stmt.where(rt.c.insert_date >= _day_start(filters.start_date))
        if filters.end_date is not None and filters.end_date < date.max:
            stmt = stmt.where(rt.c.insert_date < _day_start(filters.end_date + timedelta(days=1)))
        if search is not None:
            stmt = stmt.where(search.condition)
        if filters.channel is not None:
            stmt = stmt.where(rt.c.channel == filters.channel)
        if filters.arrived_from is not None:
            stmt = stmt.where(rt.c.arrived_date >= _day_start(filters.arrived_from))
        if filters.arrived_to is not None:
            stmt = stmt.where(rt.c.arrived_date < _day_start(filters.arrived_to + timedelta(days=1)))
        return stmt

    def _has_sku(self, sku: str) -> ColumnElement[bool]:
        """Returns with a line of `sku`: for a merchant, found through its (merchant_id, sku) line index."""
        if self.principal.merchant_id is not None:
            lines = select(lt.c.return_id).where(lt.c.merchant_id == self.principal.merchant_id, lt.c.sku == sku)
            return rt.c.id.in_(lines)
        return exists().where(lt.c.return_id == rt.c.id, lt.c.sku == sku)

    def _search(self, needle: str) -> _Search:
        """The rows whose `search_text` contains `needle` (lower-cased), as a predicate that an index serves
        where one helps (see tables/search.py): always exactly the rows `search_text LIKE '%needle%'` finds."""
        like = _contains(rt.c.search_text, needle)
        dialect = self.session.get_bind().dialect.name
        merchant = self.principal.merchant_id
        # ("|" separates the keys PostgreSQL's function writes; no generated id has one)
        if merchant is not None and "|" not in merchant:
            found = self._merchant_search(merchant, needle, like, dialect)
            if found is not None:
                return found
        if dialect == "sqlite" and len(needle) >= FTS_MIN_LENGTH:
            rowids = self._fts_rowids(fts_phrase(needle), None, FTS_DRIVE_LIMIT)
            if rowids is not None:  # the whole phrase matched: exactly the rows holding the needle
                return _Search(literal_column("return_orders.rowid").in_(rowids), by_rowid=True)
        return _Search(like)

    def _merchant_search(
        self, merchant_id: str, needle: str, like: ColumnElement[bool], dialect: str
    ) -> _Search | None:
        """A merchant's search: LIKE if the needle is dense in its newest returns, else the rows of its own
        index entries that hold the needle's rarest trigrams, each checked; None if no trigram narrows."""
        trigrams = sampled(index_trigrams(needle, dialect))
        if not trigrams:
            return None
        size, hits, counts = self._sample(merchant_id, needle, trigrams)
        if hits >= DENSE_HITS:  # LIKE over the merchant's newest rows fills a page soon
            return _Search(like)
        keys = rarest(trigrams, counts, size)
        if keys is None:
            return None
        if dialect == "postgresql":
            tenant_keys = func.boomerang_search_keys(rt.c.merchant_id, rt.c.search_text)
            wanted = bindparam("search_keys", [tenant_key(merchant_id, k) for k in keys], type_=ARRAY(Text))
            # strpos, not LIKE: pg_trgm's index would otherwise join in with the common trigrams' lists.
            return _Search(and_(tenant_keys.bool_op("@>")(wanted), func.strpos(rt.c.search_text, needle) > 0))
        rowids = self._fts_rowids(" AND ".join(fts_phrase(k) for k in keys), merchant_id, FTS_CANDIDATE_LIMIT)
        if rowids is None:  # the rare trigrams meet in too many of its returns: the whole phrase, still its own
            rowids = self._fts_rowids(fts_phrase(needle), merchant_id, FTS_DRIVE_LIMIT)
        if rowids is None:
            return _Search(like)
        return _Search(and_(literal_column("return_orders.rowid").in_(rowids), like), by_rowid=True)

    def _sample(self, merchant_id: str, needle: str, trigrams: Sequence[str]) -> tuple[int, int, builtins.list[int]]:
        """In the merchant's newest SEARCH_SAMPLE returns: how many there are, how many hold `needle`,
        and how many hold each of `trigrams` (read through the merchant's id index, never more rows)."""
        newest = (
            select(rt.c.search_text)
            .where(rt.c.merchant_id == merchant_id)
            .order_by(rt.c.id.desc())
            .limit(SEARCH_SAMPLE)
            .subquery()
        )
        text = newest.c.search_text
        counts = [func.count(), func.count().filter(_contains(text, needle))]
        counts += [func.count().filter(_contains(text, t)) for t in trigrams]
        size, hits, *per_trigram = self.session.execute(select(*counts)).one()
        return int(size), int(hits), [int(n) for n in per_trigram]

    def _fts_rowids(self, match: str, merchant_id: str | None, limit: int) -> Sequence[int] | None:
        """SQLite: the rowids of the returns whose FTS5 document matches `match` (the merchant's only, if
        given: its rowid range), or None when there are more than `limit` (another way is cheaper)."""
        fts = table(FTS_TABLE, sql_column("rowid"))
        stmt = select(fts.c.rowid.op("&")(RETURN_ROWID_MASK)).where(literal_column(FTS_TABLE).op("MATCH")(match))
        if merchant_id is not None:
            merchant_rowid = self.session.execute(
                select(literal_column("rowid")).select_from(core.merchants).where(core.merchants.c.id == merchant_id)
            ).scalar_one_or_none()
            if merchant_rowid is None:
                return []
            stmt = stmt.where(fts.c.rowid.between(*fts_rowid_range(merchant_rowid)))
        rowids = self.session.execute(stmt.limit(limit + 1)).scalars().all()
        return rowids if len(rowids) <= limit else None

    def processing_queue(self, fc_id: str, limit: int) -> builtins.list[ReturnOrder]:
        """Arrived and Processing returns at `fc_id` the caller may see, the longest-waiting first."""
        stmt = apply_scope(select(ReturnOrder), self.principal, rt.c.merchant_id, rt.c.fulfillment_center_id)
        stmt = stmt.where(
            rt.c.fulfillment_center_id == fc_id,
            rt.c.status.in_([ReturnStatus.Arrived, ReturnStatus.Processing]),
        )
        return list(self.session.execute(stmt.order_by(rt.c.arrived_date, rt.c.id).limit(limit)).scalars())


# Built once, as POST /returns runs it (a memoized cache key: not rebuilt nor keyed again per request).
_REFERENCE_USED = (
    select(rt.c.id)
    .where(
        rt.c.merchant_id == bindparam("merchant_id"),
        rt.c.reference_id == bindparam("reference_id"),
        rt.c.status != ReturnStatus.Cancelled,
    )
    .limit(1)
)
_REFERENCE_IN_USE = _REFERENCE_USED.where(rt.c.id != bindparam("exclude_id"))


@dataclass(frozen=True)
class _Search:
    """`q` as a predicate, and whether it is a list of SQLite rowids (then the order key is written +id)."""

    condition: ColumnElement[bool]
    by_rowid: bool = False


def _contains(text: ColumnElement[Any], needle: str) -> ColumnElement[bool]:
    return text.like(f"%{escape_like(needle)}%", escape="\\")


def escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
