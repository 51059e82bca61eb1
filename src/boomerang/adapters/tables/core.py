"""Tenants, credentials, products and return orders."""

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from boomerang.adapters.secret_box import EncryptedText
from boomerang.adapters.tables.base import metadata
from boomerang.adapters.types import (
    ActionsTakenJSON,
    InspectionJSON,
    LabelJSON,
    StringList,
    UTCDateTime,
)
from boomerang.domain.products import Action, BackupAction, Category
from boomerang.domain.returns import Channel, RequestedAction, ReturnStatus, ReturnType


def enum(cls: type) -> Enum:
    return Enum(cls, native_enum=False, length=32, validate_strings=True, create_constraint=False)


ID = String(40)

merchants = Table(
    "merchants",
    metadata,
    Column("id", ID, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("currency_code", String(3), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

fulfillment_centers = Table(
    "fulfillment_centers",
    metadata,
    Column("id", ID, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("country", String(2), nullable=False),
    Column("address_line1", String(200)),
    Column("city", String(100)),
    Column("postal_code", String(20)),
    Column("created_at", UTCDateTime, nullable=False),
)

operators = Table(
    "operators",
    metadata,
    Column("id", ID, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("fulfillment_center_ids", StringList, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

# Bearer secrets of every kind; only a SHA-256 of the secret is kept.
credentials = Table(
    "credentials",
    metadata,
    Column("id", ID, primary_key=True),
    Column("role", String(20), nullable=False),
    Column("name", String(200), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("merchant_id", ID, ForeignKey("merchants.id")),
    Column("operator_id", ID, ForeignKey("operators.id")),
    Column("created_at", UTCDateTime, nullable=False),
    Column("revoked_at", UTCDateTime),
)

users = Table(
    "users",
    metadata,
    Column("id", ID, primary_key=True),
    Column("email", String(320), nullable=False, unique=True),
    Column("password_hash", String(200), nullable=False),
    Column("role", String(20), nullable=False),
    Column("merchant_id", ID, ForeignKey("merchants.id")),
    Column("fulfillment_center_ids", StringList, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("disabled_at", UTCDateTime),
)

products = Table(
    "products",
    metadata,
    Column("id", ID, primary_key=True),
    Column("merchant_id", ID, ForeignKey("merchants.id"), nullable=False),
    Column("sku", String(100), nullable=False),
    Column("name", String(300), nullable=False),
    Column("barcodes", StringList, nullable=False),
    Column("category", enum(Category), nullable=False),
    Column("is_lot_tracked", Boolean, nullable=False),
    Column("minimum_shelf_life_days", Integer, nullable=False),
    Column("is_kitted", Boolean, nullable=False),
    Column("is_sioc", Boolean, nullable=False),
    Column("is_dangerous_goods", Boolean, nullable=False),
    Column("return_action", enum(Action), nullable=False),
    Column("rts_action", enum(Action), nullable=False),
    Column("backup_action", enum(BackupAction), nullable=False),
    Column("inspection_steps", StringList, nullable=False),
    Column("preferences_configured", Boolean, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    UniqueConstraint("merchant_id", "sku", name="uq_products_merchant_sku"),
    # The dashboard's count of products whose preferences were never saved.
    Index("ix_products_merchant_configured", "merchant_id", "preferences_configured"),
)

return_orders = Table(
    "return_orders",
    metadata,
    Column("id", ID, primary_key=True),
    Column("merchant_id", ID, ForeignKey("merchants.id"), nullable=False),
    Column("fulfillment_center_id", ID, ForeignKey("fulfillment_centers.id"), nullable=False),
    Column("reference_id", String(50), nullable=False),
    Column("status", enum(ReturnStatus), nullable=False),
    Column("return_type", enum(ReturnType), nullable=False),
    Column("channel", enum(Channel), nullable=False),
    Column("customer_name", String(200)),
    Column("original_shipment_id", ID),
    Column("store_order_id", String(100)),
    Column("tracking_number", String(100)),
    Column("label", LabelJSON),
    Column("label_tracking_number", String(100)),
    Column("insert_date", UTCDateTime, nullable=False),
    Column("awaiting_arrival_date", UTCDateTime),
    Column("arrived_date", UTCDateTime),
    Column("processing_date", UTCDateTime),
    Column("completed_date", UTCDateTime),
    Column("cancelled_date", UTCDateTime),
    # Lower-cased reference ids, tracking numbers, SKUs, names and order ids for `q`.
    Column("search_text", Text, nullable=False, server_default=""),
    Column("version", Integer, nullable=False),
    Index(
        "uq_return_orders_live_reference",
        "merchant_id",
        "reference_id",
        unique=True,
        sqlite_where=text("status != 'Cancelled'"),
        postgresql_where=text("status != 'Cancelled'"),
    ),
    # One return per package: a live tracking number belongs to one return of a merchant (migration 0011).
    Index(
        "uq_return_orders_live_tracking_number",
        "merchant_id",
        "tracking_number",
        unique=True,
        sqlite_where=text("status != 'Cancelled' AND tracking_number IS NOT NULL"),
        postgresql_where=text("status != 'Cancelled' AND tracking_number IS NOT NULL"),
    ),
    Index("ix_return_orders_merchant_id_id", "merchant_id", "id"),
    # The dashboard's aggregates: returns per day (counts per status tab use ix_return_orders_merchant_id_status).
    Index("ix_return_orders_merchant_insert_date", "merchant_id", "insert_date"),
    # ... and its aggregates over the returns completed in a period (units, processing times).
    Index("ix_return_orders_merchant_completed", "merchant_id", "status", "completed_date"),
    Index("ix_return_orders_fc_id", "fulfillment_center_id", "id"),
    # Filters of GET /returns within one tenant; substring search (`q`) is in tables/search.py.
    Index("ix_return_orders_merchant_id_status", "merchant_id", "status", "id"),
    Index("ix_return_orders_fulfillment_center_id_status", "fulfillment_center_id", "status", "id"),
    Index("ix_return_orders_tracking_number", "tracking_number"),
    Index("ix_return_orders_label_tracking_number", "label_tracking_number"),
    Index("ix_return_orders_reference_id", "reference_id"),
    Index("ix_return_orders_original_shipment_id", "original_shipment_id"),
)

return_lines = Table(
    "return_lines",
    metadata,
    Column("id", ID, primary_key=True),
    Column("return_id", ID, ForeignKey("return_orders.id"), nullable=False, index=True),
    Column("merchant_id", ID, nullable=False),
    Column("position", Integer, nullable=False),
    Column("product_id", ID, ForeignKey("products.id"), nullable=False, index=True),
    Column("sku", String(100), nullable=False),
    Column("name", String(300), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("requested_action", enum(RequestedAction), nullable=False),
    Column("reason", String(500)),
    Column("inspection", InspectionJSON),
    Column("actions_taken", ActionsTakenJSON, nullable=False),
    Index("ix_return_lines_merchant_id_sku", "merchant_id", "sku"),
)

return_status_history = Table(
    "return_status_history",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("return_id", ID, ForeignKey("return_orders.id"), nullable=False, index=True),
    Column("merchant_id", ID, nullable=False),
    Column("status", enum(ReturnStatus), nullable=False),
    Column("timestamp", UTCDateTime, nullable=False),
    Column("actor", String(200), nullable=False),
)

tracking_events = Table(
    "tracking_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("return_id", ID, ForeignKey("return_orders.id"), index=True),
    Column("merchant_id", ID),
    Column("tracking_number", String(100), nullable=False, index=True),
    Column("status", String(32), nullable=False),
    Column("occurred_at", UTCDateTime, nullable=False),
    Column("description", String(500)),
)

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("credential_id", ID, primary_key=True),
    Column("key", String(255), primary_key=True),
    Column("request_hash", String(64), nullable=False),
    Column("state", String(16), nullable=False),  # InFlight | Done
    Column("response_status", Integer),
    Column("response_body", EncryptedText),  # may carry a secret issued by the request (an API key, a whsec_)
    Column("response_headers", JSON),
    Column("created_at", UTCDateTime, nullable=False, index=True),
)

# Domain events written in the same transaction as the change that caused them.
outbox_events = Table(
    "outbox_events",
    metadata,
    Column("id", ID, primary_key=True),
    Column("merchant_id", ID, nullable=False, index=True),
    Column("topic", String(64), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("dispatched_at", UTCDateTime, index=True),
)
