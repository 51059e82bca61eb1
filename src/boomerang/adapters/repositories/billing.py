"""Fee schedules and transactions (append-only)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from boomerang.adapters.repositories import written
from boomerang.adapters.repositories.base import Page, built_once, keyset_page
from boomerang.adapters.tables.ledger import fee_schedules, transactions
from boomerang.domain.billing import FeeSchedule, Transaction, TransactionType
from boomerang.domain.money import Money
from boomerang.domain.queries import TransactionFilters


class BillingRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def fee_schedule(self, merchant_id: str) -> FeeSchedule | None:
        row = self.session.execute(_SCHEDULE, {"merchant_id": merchant_id}).first()
        if row is None:
            return None
        c = row.currency
        return FeeSchedule(
            merchant_id=merchant_id,
            return_processing_fee=Money(row.return_processing_fee, c),
            quarantine_storage_fee_per_unit_day=Money(row.quarantine_storage_fee_per_unit_day, c),
            disposal_fee_per_unit=Money(row.disposal_fee_per_unit, c),
            removal_fee_per_unit=Money(row.removal_fee_per_unit, c),
        )

    def save_fee_schedule(self, schedule: FeeSchedule) -> None:
        values = {
            "currency": schedule.return_processing_fee.currency,
            "return_processing_fee": schedule.return_processing_fee.amount,
            "quarantine_storage_fee_per_unit_day": schedule.quarantine_storage_fee_per_unit_day.amount,
            "disposal_fee_per_unit": schedule.disposal_fee_per_unit.amount,
            "removal_fee_per_unit": schedule.removal_fee_per_unit.amount,
        }
        dialect = postgresql if self.session.bind and self.session.bind.dialect.name == "postgresql" else sqlite
        stmt = dialect.insert(fee_schedules).values(merchant_id=schedule.merchant_id, **values)
        self.session.execute(stmt.on_conflict_do_update(index_elements=["merchant_id"], set_=values))

    def add_transaction(self, tx: Transaction) -> bool:
        """Append a transaction; with a `dedup_key` already charged, nothing is added (returns False).

        ON CONFLICT DO NOTHING: two workers accruing the same day concurrently charge once, without an error.
        """
        dialect = self.session.get_bind().dialect.name
        stmt = built_once(("transaction", dialect, tx.dedup_key is not None), self._insert_statement(tx))
        values = {
            "id": tx.id,
            "merchant_id": tx.merchant_id,
            "transaction_type": tx.transaction_type,
            "amount": tx.amount.amount,
            "currency": tx.amount.currency,
            "created_at": tx.created_at,
            "return_id": tx.return_id,
            "work_order_id": tx.work_order_id,
            "dedup_key": tx.dedup_key,
        }
        if tx.return_id is not None:
            written.note(self.session, written.CHARGED_RETURNS, tx.return_id)
        result = self.session.execute(stmt, values)
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def _insert_statement(self, tx: Transaction) -> Callable[[], Any]:
        def build() -> Any:
            stmt = self._insert()
            return stmt if tx.dedup_key is None else stmt.on_conflict_do_nothing(index_elements=["dedup_key"])

        return build

    def _insert(self) -> Any:
        dialect = postgresql if self.session.get_bind().dialect.name == "postgresql" else sqlite
        return dialect.insert(transactions)

    def charged_dedup_keys(self, prefix: str) -> set[str]:
        """Dedup keys already charged that start with `prefix` (e.g. one day's accruals)."""
        stmt = select(transactions.c.dedup_key).where(transactions.c.dedup_key.startswith(prefix, autoescape=True))
        return {key for (key,) in self.session.execute(stmt)}

    def list_transactions(
        self, merchant_id: str, filters: TransactionFilters, cursor: str | None, limit: int
    ) -> Page[Transaction]:
        """A merchant's transactions, newest first."""
        stmt = _filtered(select(transactions), merchant_id, filters)
        page = keyset_page(self.session, stmt, transactions.c.id, cursor, limit, scalars=False)
        return Page([transaction_of(row) for row in page.items], page.next_cursor)

    def totals_by_type(
        self, merchant_id: str, start: datetime, end: datetime
    ) -> list[tuple[TransactionType, int, Decimal]]:
        """(transaction_type, count, amount) for transactions created in [start, end)."""
        t = transactions
        stmt = (
            select(t.c.transaction_type, func.count(), func.sum(t.c.amount))
            .where(t.c.merchant_id == merchant_id, t.c.created_at >= start, t.c.created_at < end)
            .group_by(t.c.transaction_type)
        )
        return [(TransactionType(kind), int(n), Decimal(amount)) for kind, n, amount in self.session.execute(stmt)]

    def transactions_for_returns(self, return_ids: list[str]) -> list[Transaction]:
        """Fee transactions of these returns, oldest first (none read for a return this transaction created
        and charged nothing: a new return's response and webhook need no query for its empty fees)."""
        unread = written.noted(self.session, written.CREATED_RETURNS) - written.noted(
            self.session, written.CHARGED_RETURNS
        )
        return_ids = [i for i in return_ids if i not in unread]
        if not return_ids:
            return []
        return [transaction_of(row) for row in self.session.execute(_OF_RETURNS, {"return_ids": return_ids})]

    def transactions_between(self, merchant_id: str, start: datetime, end: datetime) -> list[Any]:
        t = transactions
        stmt = select(t).where(t.c.merchant_id == merchant_id, t.c.created_at >= start, t.c.created_at < end)
        return list(self.session.execute(stmt.order_by(t.c.created_at, t.c.id)))


_SCHEDULE = select(fee_schedules).where(fee_schedules.c.merchant_id == bindparam("merchant_id"))
# Built once (a memoized cache key: not rebuilt nor keyed again on every write that renders a return).
_OF_RETURNS = (
    select(transactions)
    .where(transactions.c.return_id.in_(bindparam("return_ids", expanding=True)))
    .order_by(transactions.c.id)
)


def _filtered(stmt: Select[Any], merchant_id: str, filters: TransactionFilters) -> Select[Any]:
    t = transactions
    stmt = stmt.where(t.c.merchant_id == merchant_id)
    if filters.start is not None:
        stmt = stmt.where(t.c.created_at >= filters.start)
    if filters.end is not None:
        stmt = stmt.where(t.c.created_at < filters.end)
    for column, value in (
        (t.c.transaction_type, filters.transaction_type),
        (t.c.return_id, filters.return_id),
        (t.c.work_order_id, filters.work_order_id),
    ):
        if value is not None:
            stmt = stmt.where(column == value)
    return stmt


def transaction_of(row: Any) -> Transaction:
    """A transactions row as the domain's Transaction."""
    return Transaction(
        id=row.id,
        merchant_id=row.merchant_id,
        transaction_type=TransactionType(row.transaction_type),
        amount=Money(row.amount, row.currency),
        created_at=row.created_at,
        return_id=row.return_id,
        work_order_id=row.work_order_id,
        dedup_key=row.dedup_key,
    )
