"""Aggregates for the merchant dashboard, computed in SQL over indexed columns, scoped to one merchant."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, case, delete, func, insert, literal, or_, select, tuple_, union_all
from sqlalchemy.orm import Session

from boomerang.adapters.tables import core
from boomerang.adapters.tables.analytics import daily_totals as totals
from boomerang.adapters.tables.analytics import daily_totals_marks as marks
from boomerang.adapters.tables.ledger import ledger_entries, transactions
from boomerang.domain.analytics import DailyTotal, Kept, Metric, Range, Total
from boomerang.domain.inventory import Bucket
from boomerang.domain.returns import ReturnStatus
from boomerang.domain.tenants import Principal

rt = core.return_orders
lt = core.return_lines
le = ledger_entries


class DashboardRepository:
    def __init__(self, session: Session, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.merchant_id = principal.merchant_id or ""

    def of_merchant(self, merchant_id: str) -> DashboardRepository:
        """The same aggregates for `merchant_id`: for the system's jobs (the rollup), not a merchant's."""
        if self.principal.merchant_id is not None:
            raise PermissionError("a merchant's unit of work reads its own dashboard only")
        return DashboardRepository(self.session, replace(self.principal, merchant_id=merchant_id))

    def merchants_behind(self, through_day: date) -> list[str]:
        """Merchants whose kept totals stop before `through_day` (or who have none), in id order."""
        merchants = core.merchants
        stmt = (
            select(merchants.c.id)
            .outerjoin(marks, marks.c.merchant_id == merchants.c.id)
            .where(or_(marks.c.through_day.is_(None), marks.c.through_day < through_day))
            .order_by(merchants.c.id)
        )
        return list(self.session.execute(stmt).scalars())

    def daily_totals(self, metric: Metric, ranges: Sequence[Range], kept: Kept | None = None) -> list[DailyTotal]:
        """The merchant's totals of `metric` per UTC day: aggregated from the rows written in each range
        [start, end) (None: open), and read from the kept totals of the days `kept` (first, last); one
        statement whatever the mix, each part on its own index range."""
        rows = self.session.execute(self._daily_statement_of(metric, ranges, kept))
        return [
            DailyTotal(str(key), str(label), int(hours or 0), int(value or 0), _as_date(day))
            for day, key, label, hours, value in rows
        ]

    def summed_totals(
        self,
        metric: Metric,
        ranges: Sequence[Range],
        kept: Kept | None = None,
        *,
        top: int | None = None,
        only: Sequence[tuple[str, str]] | None = None,
    ) -> list[Total]:
        """As `daily_totals`, added up over the days in SQL: a year of a busy merchant's processing times is
        tens of thousands of (day, FC, hours) totals, but only hundreds of (FC, hours). `top`: the largest
        sums only (then by key and label); `only`: these (key, label) pairs only."""
        days = self._daily_statement_of(metric, ranges, kept).subquery()
        keys = (days.c.key, days.c.label, days.c.hours)
        value = func.sum(days.c.value)
        stmt = select(*keys, value).group_by(*keys)
        if only is not None:
            stmt = stmt.where(tuple_(days.c.key, days.c.label).in_(list(only)))
        if top is not None:
            stmt = stmt.order_by(value.desc(), days.c.key, days.c.label).limit(top)
        rows = self.session.execute(stmt)
        return [Total(str(key), str(label), int(hours or 0), int(value or 0)) for key, label, hours, value in rows]

    def _daily_statement_of(self, metric: Metric, ranges: Sequence[Range], kept: Kept | None) -> Any:
        parts: list[Select[Any]] = []
        for start, end in ranges:
            stmt, moment = _daily_statement(self.session, metric, self.merchant_id)
            if start is not None:
                stmt = stmt.where(moment >= start)
            if end is not None:
                stmt = stmt.where(moment < end)
            parts.append(stmt)
        if kept is not None:
            parts.append(
                select(*_labelled(totals.c.day, totals.c.key, totals.c.label, totals.c.hours, totals.c.value)).where(
                    totals.c.merchant_id == self.merchant_id,
                    totals.c.metric == metric.value,
                    totals.c.day >= (kept[0] or date.min),
                    totals.c.day <= kept[1],
                )
            )
        return parts[0] if len(parts) == 1 else union_all(*parts)

    def counts_by_status_but(self, left_out: ReturnStatus) -> dict[ReturnStatus, int]:
        """The merchant's returns per status, `left_out` aside (the index reads the other statuses only)."""
        others = [status for status in ReturnStatus if status is not left_out]
        stmt = (
            select(rt.c.status, func.count())
            .where(rt.c.merchant_id == self.merchant_id, rt.c.status.in_(others))
            .group_by(rt.c.status)
        )
        return {ReturnStatus(status): int(n) for status, n in self.session.execute(stmt)}

    def first_day(self) -> date | None:
        """The day of the merchant's first return (every fact the totals count comes on or after it)."""
        first = self.session.execute(select(func.min(rt.c.insert_date)).where(rt.c.merchant_id == self.merchant_id))
        moment = first.scalar_one()
        return None if moment is None else moment.date()

    def kept_through(self) -> date | None:
        """The last day whose totals the rollup kept for the merchant (None: none kept)."""
        stmt = select(marks.c.through_day).where(marks.c.merchant_id == self.merchant_id)
        return self.session.execute(stmt).scalar_one_or_none()

    def keep(self, metric: Metric, rows: list[DailyTotal]) -> None:
        """Keep `rows` as the metric's totals of their days (days not kept before: see `kept_through`)."""
        if rows:
            values = [{"merchant_id": self.merchant_id, "metric": metric.value, **asdict(row)} for row in rows]
            self.session.execute(insert(totals), values)

    def mark_kept(self, through_day: date, at: datetime) -> None:
        self.session.execute(delete(marks).where(marks.c.merchant_id == self.merchant_id))
        self.session.execute(insert(marks).values(merchant_id=self.merchant_id, through_day=through_day, rolled_at=at))

    def forget_kept(self) -> None:
        """Drop the merchant's kept totals: the next rollup aggregates its whole history again."""
        self.session.execute(delete(totals).where(totals.c.merchant_id == self.merchant_id))
        self.session.execute(delete(marks).where(marks.c.merchant_id == self.merchant_id))

    def processing_hours_histogram(self, since: datetime) -> list[tuple[str, int, int]]:
        """(FC, whole hours from arrival to completion, returns) of returns completed since `since`.

        A histogram rather than the rows: its size is bounded by FCs x hours, whatever the volume.
        """
        hours = func.floor(_hours_between(self.session, rt.c.arrived_date, rt.c.completed_date))
        stmt = (
            select(rt.c.fulfillment_center_id, hours, func.count())
            .where(
                rt.c.merchant_id == self.merchant_id,
                rt.c.status == ReturnStatus.Completed,
                rt.c.completed_date >= since,
                rt.c.arrived_date.is_not(None),
            )
            .group_by(rt.c.fulfillment_center_id, hours)
        )
        return [(fc, int(h or 0), int(n)) for fc, h, n in self.session.execute(stmt)]

    def overdue_count(self, arrived_before: datetime) -> int:
        stmt = select(func.count()).where(
            rt.c.merchant_id == self.merchant_id,
            rt.c.status.in_([ReturnStatus.Arrived, ReturnStatus.Processing]),
            rt.c.arrived_date < arrived_before,
        )
        return int(self.session.execute(stmt).scalar_one())

    def unconfigured_products(self) -> int:
        stmt = select(func.count()).where(
            core.products.c.merchant_id == self.merchant_id, core.products.c.preferences_configured.is_(False)
        )
        return int(self.session.execute(stmt).scalar_one())

    def quarantined_units(self) -> int:
        stmt = select(func.coalesce(func.sum(le.c.quantity), 0)).where(
            le.c.merchant_id == self.merchant_id, le.c.bucket == Bucket.Quarantine.value
        )
        return int(self.session.execute(stmt).scalar_one())

    def quarantine_positions(self) -> list[Any]:
        """Quarantined units per product, FC and lot, with when the first of them arrived."""
        lot = func.coalesce(le.c.lot_number, "")
        on_hand = func.sum(le.c.quantity)
        stmt = (
            select(
                le.c.product_id,
                core.products.c.sku,
                core.products.c.name,
                le.c.fulfillment_center_id,
                lot.label("lot_number"),
                func.max(le.c.expiration_date).label("expiration_date"),
                on_hand.label("quantity"),
                func.min(case((le.c.quantity > 0, le.c.created_at))).label("since"),
            )
            .join(core.products, core.products.c.id == le.c.product_id)
            .where(le.c.merchant_id == self.merchant_id, le.c.bucket == Bucket.Quarantine.value)
            .group_by(le.c.product_id, core.products.c.sku, core.products.c.name, le.c.fulfillment_center_id, lot)
            .having(on_hand > 0)
            .order_by(core.products.c.sku, le.c.fulfillment_center_id, lot)
        )
        return list(self.session.execute(stmt))

    def fees_of_return(self, return_id: str) -> list[Any]:
        stmt = (
            select(transactions)
            .where(transactions.c.merchant_id == self.merchant_id, transactions.c.return_id == return_id)
            .order_by(transactions.c.created_at, transactions.c.id)
        )
        return list(self.session.execute(stmt))


def _daily_statement(session: Session, metric: Metric, merchant_id: str) -> tuple[Select[Any], Any]:
    """(day, key, label, hours, value) per day for one merchant, and the moment column the period bounds."""
    none, zero = literal(""), literal(0)
    if metric is Metric.ReturnsCreated:
        day = func.date(rt.c.insert_date)
        stmt = select(*_labelled(day, rt.c.return_type, none, zero, func.count()))
        return stmt.where(rt.c.merchant_id == merchant_id).group_by(day, rt.c.return_type), rt.c.insert_date
    if metric is Metric.UnitsBySku:
        day = func.date(rt.c.insert_date)
        stmt = (
            select(*_labelled(day, lt.c.sku, lt.c.name, zero, func.sum(lt.c.quantity)))
            .select_from(lt.join(rt, rt.c.id == lt.c.return_id))
            .where(rt.c.merchant_id == merchant_id)
        )
        return stmt.group_by(day, lt.c.sku, lt.c.name), rt.c.insert_date
    if metric is Metric.UnitsIntoBucket:
        # Every bucket is named, so the (merchant, bucket, created_at) index reads each bucket's entries of
        # the period only, not all the merchant's entries (SQLite does not skip-scan the bucket column).
        day = func.date(le.c.created_at)
        stmt = select(*_labelled(day, le.c.bucket, none, zero, func.sum(le.c.quantity))).where(
            le.c.merchant_id == merchant_id,
            le.c.bucket.in_([bucket.value for bucket in Bucket]),
            le.c.return_id.is_not(None),
            le.c.quantity > 0,
        )
        return stmt.group_by(day, le.c.bucket), le.c.created_at
    day = func.date(rt.c.completed_date)
    completed = (rt.c.merchant_id == merchant_id, rt.c.status == ReturnStatus.Completed)
    if metric is Metric.ReturnsCompleted:
        return select(*_labelled(day, none, none, zero, func.count())).where(*completed).group_by(
            day
        ), rt.c.completed_date
    if metric is Metric.UnitsExpectedCompleted:
        stmt = (
            select(*_labelled(day, none, none, zero, func.sum(lt.c.quantity)))
            .select_from(lt.join(rt, rt.c.id == lt.c.return_id))
            .where(*completed)
        )
        return stmt.group_by(day), rt.c.completed_date
    # Whole hours from arrival to completion: a histogram, bounded by FCs x hours whatever the volume.
    hours = func.floor(_hours_between(session, rt.c.arrived_date, rt.c.completed_date))
    stmt = select(*_labelled(day, rt.c.fulfillment_center_id, none, hours, func.count())).where(
        *completed, rt.c.arrived_date.is_not(None)
    )
    return stmt.group_by(day, rt.c.fulfillment_center_id, hours), rt.c.completed_date


def _labelled(day: Any, key: Any, label: Any, hours: Any, value: Any) -> list[Any]:
    return [day.label("day"), key.label("key"), label.label("label"), hours.label("hours"), value.label("value")]


def _hours_between(session: Session, start: Any, end: Any) -> Any:
    if session.get_bind().dialect.name == "postgresql":
        return func.extract("epoch", end - start) / 3600
    return (func.julianday(end) - func.julianday(start)) * 24


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
