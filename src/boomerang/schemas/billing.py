from __future__ import annotations

from pydantic import BaseModel

from boomerang.domain.billing import FeeSchedule
from boomerang.domain.invoices import Invoice, InvoiceLine
from boomerang.schemas.common import Money, MoneyIn, RequestModel


class FeeScheduleIn(RequestModel):
    """Every fee in the merchant's currency."""

    return_processing_fee: MoneyIn
    quarantine_storage_fee_per_unit_day: MoneyIn
    disposal_fee_per_unit: MoneyIn
    removal_fee_per_unit: MoneyIn


class FeeScheduleRead(BaseModel):
    merchant_id: str
    return_processing_fee: Money
    quarantine_storage_fee_per_unit_day: Money
    disposal_fee_per_unit: Money
    removal_fee_per_unit: Money

    @classmethod
    def from_domain(cls, schedule: FeeSchedule) -> FeeScheduleRead:
        return cls(
            merchant_id=schedule.merchant_id,
            return_processing_fee=Money.from_domain(schedule.return_processing_fee),
            quarantine_storage_fee_per_unit_day=Money.from_domain(schedule.quarantine_storage_fee_per_unit_day),
            disposal_fee_per_unit=Money.from_domain(schedule.disposal_fee_per_unit),
            removal_fee_per_unit=Money.from_domain(schedule.removal_fee_per_unit),
        )


class InvoiceLineRead(BaseModel):
    transaction_type: str
    count: int
    amount: Money

    @classmethod
    def from_domain(cls, line: InvoiceLine) -> InvoiceLineRead:
        return cls(
            transaction_type=line.transaction_type.value, count=line.count, amount=Money.from_domain(line.amount)
        )


class InvoiceRead(BaseModel):
    period: str
    currency_code: str
    lines: list[InvoiceLineRead]
    total: Money

    @classmethod
    def from_domain(cls, invoice: Invoice) -> InvoiceRead:
        return cls(
            period=str(invoice.period),
            currency_code=invoice.currency,
            lines=[InvoiceLineRead.from_domain(line) for line in invoice.lines],
            total=Money.from_domain(invoice.total),
        )
