"""The warehouse floor: outbound shipments, carrier scans, dock receipts, unidentified packages, photos."""

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, String, Table

from boomerang.adapters.tables.base import metadata
from boomerang.adapters.tables.core import ID
from boomerang.adapters.types import Cents, StringList, UTCDateTime

shipments = Table(
    "shipments",
    metadata,
    Column("id", ID, primary_key=True),
    Column("merchant_id", ID, ForeignKey("merchants.id"), nullable=False),
    Column("fulfillment_center_id", ID, ForeignKey("fulfillment_centers.id"), nullable=False),
    Column("store_order_id", String(100), nullable=False),
    Column("tracking_number", String(100), nullable=False, index=True),
    Column("carrier", String(100), nullable=False),
    Column("label_cost", Cents, nullable=False),
    Column("label_cost_currency", String(3), nullable=False),
    Column("destination_country", String(2), nullable=False),
    Column("customer_name", String(200)),
    Column("rts_scanned", Boolean, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_shipments_merchant_id_id", "merchant_id", "id"),
)

shipment_items = Table(
    "shipment_items",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("shipment_id", ID, ForeignKey("shipments.id"), nullable=False, index=True),
    Column("merchant_id", ID, nullable=False),
    Column("position", Integer, nullable=False),
    Column("product_id", ID, ForeignKey("products.id"), nullable=False),
    Column("sku", String(100), nullable=False),
    Column("name", String(300), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("lot_number", String(100)),
)

# Every carrier tracking event, kept even for tracking numbers nobody has registered yet, so a
# shipment registered after its RTS scan still knows it came back.
carrier_scans = Table(
    "carrier_scans",
    metadata,
    Column("id", ID, primary_key=True),
    Column("tracking_number", String(100), nullable=False, index=True),
    Column("status", String(32), nullable=False),
    Column("occurred_at", UTCDateTime, nullable=False),
    Column("description", String(500)),
    Column("received_at", UTCDateTime, nullable=False),
)

# One row per dock scan that was answered (the audit trail of the receiving station).
receipts = Table(
    "receipts",
    metadata,
    Column("id", ID, primary_key=True),
    Column("fulfillment_center_id", ID, ForeignKey("fulfillment_centers.id"), nullable=False),
    Column("merchant_id", ID),
    Column("scanned", String(200), nullable=False),
    Column("outcome", String(32), nullable=False),
    Column("return_id", ID, index=True),
    Column("unidentified_package_id", ID),
    Column("actor", String(200), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

unidentified_packages = Table(
    "unidentified_packages",
    metadata,
    Column("id", ID, primary_key=True),
    Column("fulfillment_center_id", ID, ForeignKey("fulfillment_centers.id"), nullable=False),
    Column("merchant_id", ID),
    Column("scanned", String(200), nullable=False),
    Column("received_at", UTCDateTime, nullable=False),
    Column("note", String(1000)),
    Column("photo_ids", StringList, nullable=False),
    Column("resolved_return_id", ID),
    Column("resolved_at", UTCDateTime),
    Index("ix_unidentified_packages_fc_id", "fulfillment_center_id", "id"),
)

photos = Table(
    "photos",
    metadata,
    Column("id", ID, primary_key=True),
    # A photo shows either a return's items or an unidentified package (whose merchant is unknown
    # until the package is resolved; then merchant_id is set so the merchant sees it too).
    Column("return_id", ID, ForeignKey("return_orders.id"), nullable=True, index=True),
    Column("unidentified_package_id", ID, ForeignKey("unidentified_packages.id"), nullable=True, index=True),
    Column("merchant_id", ID, ForeignKey("merchants.id"), nullable=True),
    Column("fulfillment_center_id", ID, ForeignKey("fulfillment_centers.id"), nullable=False),
    Column("content_type", String(32), nullable=False),
    Column("size_bytes", Integer, nullable=False),
    Column("storage_key", String(200), nullable=False),
    Column("uploaded_by", String(200), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

# The note an admin gave for a manual inventory adjustment (the ledger entry itself stays as is).
inventory_adjustments = Table(
    "inventory_adjustments",
    metadata,
    Column("ledger_entry_id", ID, ForeignKey("ledger_entries.id"), primary_key=True),
    Column("merchant_id", ID, nullable=False),
    Column("note", String(1000), nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)
