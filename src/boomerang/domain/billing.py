"""Fees: the merchant's fee schedule and the immutable transactions it produces."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from boomerang.domain.money import Money


class TransactionType(StrEnum):
    ReturnProcessingFee = "ReturnProcessingFee"
    ReturnToSenderFee = "ReturnToSenderFee"
    ReturnLabelInvoice = "ReturnLabelInvoice"
    QuarantineStorageFee = "QuarantineStorageFee"
    DisposalFee = "DisposalFee"
    RemovalFee = "RemovalFee"


@dataclass
class FeeSchedule:
    merchant_id: str
    return_processing_fee: Money
    quarantine_storage_fee_per_unit_day: Money
    disposal_fee_per_unit: Money
    removal_fee_per_unit: Money


@dataclass(frozen=True)
class Transaction:
    """A charge to a merchant. Never updated; a correction is another transaction."""

    id: str
    merchant_id: str
    transaction_type: TransactionType
    amount: Money
    created_at: datetime
    return_id: str | None = None
    work_order_id: str | None = None
    # Makes a charge idempotent, e.g. one QuarantineStorageFee per unit-day bucket.
    dedup_key: str | None = None
