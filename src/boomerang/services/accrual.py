"""Daily accruals: QuarantineStorageFee, once per quarantined unit per day.

Each (merchant, product, FC, lot number) in quarantine at the end of a UTC day is charged once for
that day; the transaction's dedup key makes re-running a day (a retry, a second worker, a restart)
charge nothing more. A lot number held with two expiration dates is two stock positions but one charge
for all its units: the fee is per unit, and the dedup key stays what it was before positions had expiries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from boomerang.domain.billing import FeeSchedule, TransactionType
from boomerang.domain.error_codes import BillingErrorCode
from boomerang.domain.errors import FieldError, ValidationFailed
from boomerang.domain.inventory import Bucket, StockPosition
from boomerang.domain.invoices import quarantine_fee_key
from boomerang.services import fees
from boomerang.services.unit_of_work import UnitOfWork

# How many finished days the worker looks back, so a worker that was down catches up.
CATCH_UP_DAYS = 7


@dataclass(frozen=True)
class AccrualResult:
    day: date
    positions: int
    charged: int
    units: int


def accrue_quarantine_storage(uow: UnitOfWork, *, day: date) -> AccrualResult:
    """Charge the QuarantineStorageFee for `day` (a finished UTC day); idempotent."""
    if day >= uow.now.date():
        message = f"{day.isoformat()} is not over yet (UTC); accrue finished days only"
        raise ValidationFailed(message, code=BillingErrorCode.DAY_NOT_FINISHED, details=[FieldError("date", message)])
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=UTC)
    units_by_key = _quarantined_units_by_fee_key(uow.ledger.positions(Bucket.Quarantine, before=end), day)
    already = uow.billing.charged_dedup_keys(f"qsf:{day.isoformat()}:")
    schedules: dict[str, FeeSchedule] = {}
    charged = units = 0
    for key, (merchant_id, quantity) in units_by_key.items():
        if key in already:
            continue
        if merchant_id not in schedules:
            schedules[merchant_id] = fees.fee_schedule(uow, merchant_id)
        per_unit_day = schedules[merchant_id].quarantine_storage_fee_per_unit_day
        if per_unit_day.amount <= 0:
            continue
        tx = fees.charge(
            uow,
            merchant_id=merchant_id,
            transaction_type=TransactionType.QuarantineStorageFee,
            amount=per_unit_day * quantity,
            dedup_key=key,
            created_at=end - timedelta(seconds=1),  # the charge belongs to the day it accrued for
        )
        if tx is not None:
            charged += 1
            units += quantity
    uow.commit()
    return AccrualResult(day, len(units_by_key), charged, units)


def _quarantined_units_by_fee_key(positions: list[StockPosition], day: date) -> dict[str, tuple[str, int]]:
    """(merchant, units) per fee key: the expiries of one lot number add up into one charge."""
    units: dict[str, tuple[str, int]] = {}
    for p in positions:
        key = quarantine_fee_key(day, p.merchant_id, p.product_id, p.fulfillment_center_id, p.lot_number)
        _, held = units.get(key, (p.merchant_id, 0))
        units[key] = (p.merchant_id, held + p.quantity)
    return units


def accrue_due(make_uow: Callable[[], UnitOfWork], *, days: int = CATCH_UP_DAYS) -> list[AccrualResult]:
    """The worker's daily job: accrue each of the last `days` finished days (already charged ones add nothing)."""
    with make_uow() as uow:
        today = uow.now.date()
    results = []
    for back in range(days, 0, -1):
        with make_uow() as uow:
            results.append(accrue_quarantine_storage(uow, day=today - timedelta(days=back)))
    return results
