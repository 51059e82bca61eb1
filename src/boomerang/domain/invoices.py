"""Monthly invoices: a merchant's transactions of one UTC calendar month, summed by type."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from boomerang.domain.billing import FeeSchedule, TransactionType
from boomerang.domain.error_codes import BillingErrorCode, CommonErrorCode
from boomerang.domain.errors import FieldError, ValidationFailed
from boomerang.domain.money import Money

_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class Period:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str, field: str = "period") -> Period:
        match = _PERIOD.fullmatch(text)
        if match is None or int(match.group(1)) < 1970:
            raise ValidationFailed(
                "period is YYYY-MM", code=BillingErrorCode.INVALID_PERIOD, details=[FieldError(field, "YYYY-MM")]
            )
        return cls(int(match.group(1)), int(match.group(2)))

    @property
    def start(self) -> datetime:
        return datetime(self.year, self.month, 1, tzinfo=UTC)

    @property
    def end(self) -> datetime:
        """The first instant of the next month (exclusive bound)."""
        return datetime(self.year + self.month // 12, self.month % 12 + 1, 1, tzinfo=UTC)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True)
class InvoiceLine:
    transaction_type: TransactionType
    count: int
    amount: Money


@dataclass(frozen=True)
class Invoice:
    merchant_id: str
    period: Period
    currency: str
    lines: list[InvoiceLine]

    @property
    def total(self) -> Money:
        return sum((line.amount for line in self.lines), Money.zero(self.currency))


def build_invoice(
    merchant_id: str, period: Period, currency: str, totals: list[tuple[TransactionType, int, Decimal]]
) -> Invoice:
    """Lines in the order of TransactionType; one currency per merchant, so every amount shares it."""
    by_type = {t: (n, amount) for t, n, amount in totals}
    lines = [InvoiceLine(t, by_type[t][0], Money(by_type[t][1], currency)) for t in TransactionType if t in by_type]
    return Invoice(merchant_id, period, currency, lines)


def validate_fee_schedule(schedule: FeeSchedule, currency: str) -> None:
    """Every fee in the merchant's currency, none negative."""
    errors = []
    for name in (
        "return_processing_fee",
        "quarantine_storage_fee_per_unit_day",
        "disposal_fee_per_unit",
        "removal_fee_per_unit",
    ):
        fee: Money = getattr(schedule, name)
        if fee.currency != currency:
            errors.append(FieldError(f"{name}.currency_code", f"the merchant is billed in {currency}"))
        elif fee.amount < 0:
            errors.append(FieldError(f"{name}.amount", "a fee cannot be negative"))
    if errors:
        code = (
            BillingErrorCode.CURRENCY_MISMATCH
            if any("currency_code" in e.field for e in errors)
            else CommonErrorCode.VALIDATION_ERROR
        )
        raise ValidationFailed("invalid fee schedule", code=code, details=errors)


def quarantine_fee_key(day: date, merchant_id: str, product_id: str, fc_id: str, lot_number: str | None) -> str:
    """One QuarantineStorageFee per stock position per day: the key makes accrual idempotent."""
    lot = lot_number or ""
    if len(lot) > 60:  # keep the key within its 200 characters whatever the lot number
        lot = "sha256:" + hashlib.sha256(lot.encode()).hexdigest()[:40]
    return f"qsf:{day.isoformat()}:{merchant_id}:{product_id}:{fc_id}:{lot}"
