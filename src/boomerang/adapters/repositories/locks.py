"""Every row lock (SELECT ... FOR UPDATE) that serializes stock decisions, always taken in pk order.

One place, one order: two transactions locking overlapping rows queue up instead of deadlocking.
SQLite needs none of this (writers already take the database lock with BEGIN IMMEDIATE).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
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
