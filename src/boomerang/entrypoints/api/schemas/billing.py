from __future__ import annotations

from pydantic import BaseModel

from boomerang.entrypoints.api.schemas.common import Money, MoneyIn, RequestModel


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


class InvoiceLineRead(BaseModel):
    transaction_type: str
    count: int
    amount: Money


class InvoiceRead(BaseModel):
    period: str
    currency_code: str
    lines: list[InvoiceLineRead]
    total: Money
