"""Money and stock: fee schedules, transactions and the inventory ledger (append-only)."""

from sqlalchemy import Column, Date, ForeignKey, Index, Integer, String, Table

from boomerang.adapters.tables.base import metadata
from boomerang.adapters.tables.core import ID, enum
from boomerang.adapters.types import Cents, UTCDateTime
from boomerang.domain.billing import TransactionType
from boomerang.domain.inventory import Bucket

fee_schedules = Table(
    "fee_schedules",
    metadata,
    Column("merchant_id", ID, ForeignKey("merchants.id"), primary_key=True),
    Column("currency", String(3), nullable=False),
    Column("return_processing_fee", Cents, nullable=False),
    Column("quarantine_storage_fee_per_unit_day", Cents, nullable=False),
    Column("disposal_fee_per_unit", Cents, nullable=False),
    Column("removal_fee_per_unit", Cents, nullable=False),
)

transactions = Table(
    "transactions",
    metadata,
    Column("id", ID, primary_key=True),
    Column("merchant_id", ID, ForeignKey("merchants.id"), nullable=False),
    Column("transaction_type", enum(TransactionType), nullable=False),
    Column("amount", Cents, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("return_id", ID, index=True),
    Column("work_order_id", ID, index=True),
    Column("dedup_key", String(200), unique=True),
    Index("ix_transactions_merchant_created", "merchant_id", "created_at", "id"),
)

ledger_entries = Table(
    "ledger_entries",
    metadata,
    Column("id", ID, primary_key=True),
    Column("merchant_id", ID, ForeignKey("merchants.id"), nullable=False),
    Column("product_id", ID, ForeignKey("products.id"), nullable=False),
    Column("fulfillment_center_id", ID, ForeignKey("fulfillment_centers.id"), nullable=False),
    Column("lot_number", String(100)),
    Column("expiration_date", Date),
    Column("bucket", enum(Bucket), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("reason", String(64), nullable=False),
    Column("originator", String(200), nullable=False),
    Column("return_id", ID, index=True),
    Column("work_order_id", ID, index=True),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_ledger_entries_stock", "merchant_id", "product_id", "fulfillment_center_id"),
    # The dashboard: units per bucket (quarantined now, dispositions over a period).
    Index("ix_ledger_entries_merchant_bucket_created", "merchant_id", "bucket", "created_at"),
)
