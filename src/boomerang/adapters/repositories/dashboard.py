"""Aggregates for the merchant dashboard, computed in SQL over indexed columns, scoped to one merchant."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from boomerang.adapters.tables import core
from boomerang.adapters.tables.ledger import ledger_entries, transactions
from boomerang.domain.inventory import Bucket
from boomerang.domain.returns import ReturnStatus
from boomerang.domain.tenants import Principal

rt = core.return_orders
lt = core.return_lines
le = ledger_entries


class DashboardRepository:
    def __init__(self, session: Session, principal: Principal) -> None:
        self.session = session
        self.merchant_id = principal.merchant_id or ""

    def returns_per_day(self, since: datetime) -> list[tuple[date, str, int]]:
        """(day, return type, count) of returns created since `since`."""
        day = func.date(rt.c.insert_date)
        stmt = (
            select(day, rt.c.return_type, func.count())
            .where(rt.c.merchant_id == self.merchant_id, rt.c.insert_date >= since)
            .group_by(day, rt.c.return_type)
        )
        return [(_as_date(d), str(t), int(n)) for d, t, n in self.session.execute(stmt)]

    def units_by_bucket(self, since: datetime) -> dict[str, int]:
        """Units that returns moved into each bucket since `since` (Sellable = restocked).

        Every bucket is named, so the (merchant, bucket, created_at) index reads each bucket's entries of
        the period only, not all the merchant's entries (SQLite does not skip-scan the bucket column)."""
        stmt = (
            select(le.c.bucket, func.sum(le.c.quantity))
            .where(
                le.c.merchant_id == self.merchant_id,
                le.c.bucket.in_([bucket.value for bucket in Bucket]),
                le.c.return_id.is_not(None),
                le.c.quantity > 0,
                le.c.created_at >= since,
            )
            .group_by(le.c.bucket)
        )
        return {str(b): int(n or 0) for b, n in self.session.execute(stmt)}

    def units_expected_on_completed(self, since: datetime) -> int:
        stmt = (
            select(func.coalesce(func.sum(lt.c.quantity), 0))
            .select_from(lt.join(rt, rt.c.id == lt.c.return_id))
            .where(
                rt.c.merchant_id == self.merchant_id,
                rt.c.status == ReturnStatus.Completed,
                rt.c.completed_date >= since,
            )
        )
        return int(self.session.execute(stmt).scalar_one())

    def top_skus(self, now: datetime, window_start: datetime, previous_start: datetime, limit: int) -> list[Any]:
        """SKUs by units returned in the window, with the units of the window before it."""
        recent = func.sum(case((rt.c.insert_date >= window_start, lt.c.quantity), else_=0))
        before = func.sum(case((rt.c.insert_date < window_start, lt.c.quantity), else_=0))
        stmt = (
            select(lt.c.sku, lt.c.name, recent.label("recent"), before.label("previous"))
            .select_from(lt.join(rt, rt.c.id == lt.c.return_id))
            .where(rt.c.merchant_id == self.merchant_id, rt.c.insert_date >= previous_start, rt.c.insert_date < now)
            .group_by(lt.c.sku, lt.c.name)
            .order_by(recent.desc(), lt.c.sku)
            .limit(limit)
        )
        return list(self.session.execute(stmt))

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


def _hours_between(session: Session, start: Any, end: Any) -> Any:
    if session.get_bind().dialect.name == "postgresql":
        return func.extract("epoch", end - start) / 3600
    return (func.julianday(end) - func.julianday(start)) * 24


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
