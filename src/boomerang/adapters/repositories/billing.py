"""Fee schedules and transactions (append-only)."""

from __future__ import annotations

from sqlalchemy import insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from boomerang.adapters.tables.ledger import fee_schedules, transactions
from boomerang.domain.billing import FeeSchedule, Transaction
from boomerang.domain.money import Money


class BillingRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def fee_schedule(self, merchant_id: str) -> FeeSchedule | None:
        row = self.session.execute(select(fee_schedules).where(fee_schedules.c.merchant_id == merchant_id)).first()
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
        """Append a transaction; with a `dedup_key` already charged, nothing is added (returns False)."""
        if tx.dedup_key is not None:
            exists = self.session.execute(
                select(transactions.c.id).where(transactions.c.dedup_key == tx.dedup_key)
            ).first()
            if exists:
                return False
        self.session.execute(
            insert(transactions).values(
                id=tx.id,
                merchant_id=tx.merchant_id,
                transaction_type=tx.transaction_type,
                amount=tx.amount.amount,
                currency=tx.amount.currency,
                created_at=tx.created_at,
                return_id=tx.return_id,
                work_order_id=tx.work_order_id,
                dedup_key=tx.dedup_key,
            )
        )
        return True
