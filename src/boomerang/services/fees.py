"""Charging fees: the merchant's schedule (or the configured defaults) turned into transactions."""

from __future__ import annotations

from datetime import datetime

from boomerang.domain.billing import FeeSchedule, Transaction, TransactionType
from boomerang.domain.ids import new_id
from boomerang.domain.money import Money
from boomerang.services.unit_of_work import UnitOfWork


def fee_schedule(uow: UnitOfWork, merchant_id: str) -> FeeSchedule:
    """The merchant's schedule, or the defaults from configuration in the merchant's currency."""
    saved = uow.billing.fee_schedule(merchant_id)
    if saved is not None:
        return saved
    currency = uow.tenants.merchant(merchant_id).currency_code
    s = uow.settings
    return FeeSchedule(
        merchant_id=merchant_id,
        return_processing_fee=Money(s.default_return_processing_fee, currency),
        quarantine_storage_fee_per_unit_day=Money(s.default_quarantine_storage_fee_per_unit_day, currency),
        disposal_fee_per_unit=Money(s.default_disposal_fee_per_unit, currency),
        removal_fee_per_unit=Money(s.default_removal_fee_per_unit, currency),
    )


def charge(
    uow: UnitOfWork,
    *,
    merchant_id: str,
    transaction_type: TransactionType,
    amount: Money,
    return_id: str | None = None,
    work_order_id: str | None = None,
    dedup_key: str | None = None,
    created_at: datetime | None = None,
) -> Transaction | None:
    """Add one transaction in the current unit of work; None when `dedup_key` was already charged.

    `created_at` dates a charge that belongs to an earlier moment (a day's accrual), else now.
    """
    at = created_at or uow.now
    tx = Transaction(
        id=new_id("txn", at=created_at),
        merchant_id=merchant_id,
        transaction_type=transaction_type,
        amount=amount,
        created_at=at,
        return_id=return_id,
        work_order_id=work_order_id,
        dedup_key=dedup_key,
    )
    return tx if uow.billing.add_transaction(tx) else None
