"""Every lock that serializes decisions: row locks (SELECT ... FOR UPDATE) on stock, always taken in pk
order, and the rollup's advisory lock per merchant.

One place, one order: two transactions locking overlapping rows queue up instead of deadlocking.
SQLite needs none of this (writers already take the database lock with BEGIN IMMEDIATE).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from boomerang.adapters.tables.core import products


def lock_products(session: Session, product_ids: Iterable[str]) -> None:
    """Hold the product rows until commit: whoever reserves or removes their stock waits for us."""
    ids = sorted(set(product_ids))
    if not ids or session.get_bind().dialect.name != "postgresql":
        return
    session.execute(select(products.c.id).where(products.c.id.in_(ids)).order_by(products.c.id).with_for_update())


class RowLocks:
    """The unit of work's handle on the row locks above."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def products(self, product_ids: Iterable[str]) -> None:
        lock_products(self.session, product_ids)

    def daily_totals(self, merchant_id: str) -> None:
        """Until commit, the one transaction rolling up `merchant_id`'s days (a second worker waits, then
        finds them kept). An advisory lock: writers of the merchant's rows are not held up."""
        if self.session.get_bind().dialect.name == "postgresql":
            key = func.hashtext(f"daily_totals:{merchant_id}")
            self.session.execute(select(func.pg_advisory_xact_lock(key)))
