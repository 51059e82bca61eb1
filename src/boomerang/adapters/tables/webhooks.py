"""Outbound webhook subscriptions and their delivery log; inbound integration configs and events."""

from sqlalchemy import JSON, Boolean, Column, ForeignKey, Index, Integer, String, Table, UniqueConstraint

from boomerang.adapters.secret_box import EncryptedString
from boomerang.adapters.tables.base import metadata
from boomerang.adapters.tables.core import ID
from boomerang.adapters.types import UTCDateTime

webhook_subscriptions = Table(
    "webhook_subscriptions",
    metadata,
    Column("id", ID, primary_key=True),
    Column("merchant_id", ID, ForeignKey("merchants.id"), nullable=False),
    Column("url", String(2000), nullable=False),
    Column("topics", JSON, nullable=False),
    # Signing needs the key itself, so it is encrypted (not hashed); shown to the merchant only once.
    Column("secret", EncryptedString, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("failing_since", UTCDateTime),
    Column("disabled_at", UTCDateTime),
    Column("deleted_at", UTCDateTime),
    Index("ix_webhook_subscriptions_merchant", "merchant_id", "id"),
)

# One row per (event, subscription): the message and where its retries stand.
webhook_deliveries = Table(
    "webhook_deliveries",
    metadata,
    Column("id", ID, primary_key=True),
    Column("merchant_id", ID, nullable=False),
    Column("subscription_id", ID, ForeignKey("webhook_subscriptions.id"), nullable=False),
    Column("event_id", ID, ForeignKey("outbox_events.id"), nullable=False),
    Column("topic", String(64), nullable=False),
    Column("status", String(16), nullable=False),  # Pending | Succeeded | Failed
    Column("attempt_count", Integer, nullable=False),
    Column("next_attempt_at", UTCDateTime),
    Column("leased_until", UTCDateTime),
    Column("last_attempt_at", UTCDateTime),
    Column("last_response_status", Integer),
    Column("last_error", String(500)),
    Column("delivered_at", UTCDateTime),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("subscription_id", "event_id", name="uq_webhook_deliveries_subscription_event"),
    Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
    Index("ix_webhook_deliveries_subscription", "subscription_id", "id"),
)

webhook_delivery_attempts = Table(
    "webhook_delivery_attempts",
    metadata,
    Column("id", ID, primary_key=True),
    Column("delivery_id", ID, ForeignKey("webhook_deliveries.id"), nullable=False, index=True),
    Column("merchant_id", ID, nullable=False),
    Column("attempted_at", UTCDateTime, nullable=False),
    Column("succeeded", Boolean, nullable=False),
    Column("response_status", Integer),
    Column("error", String(500)),
    Column("duration_ms", Integer, nullable=False),
)

integration_configs = Table(
    "integration_configs",
    metadata,
    Column("merchant_id", ID, ForeignKey("merchants.id"), primary_key=True),
    Column("provider", String(16), primary_key=True),  # AfterShip | Loop
    Column("webhook_secret", EncryptedString, nullable=False),
    Column("fulfillment_center_id", ID, ForeignKey("fulfillment_centers.id"), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

# Every signed inbound event with what it did. `dedup_key` is set only on accepted events, so a
# rejected event (say, an unknown SKU) can be redelivered after the merchant fixes the cause.
inbound_events = Table(
    "inbound_events",
    metadata,
    Column("id", ID, primary_key=True),
    Column("merchant_id", ID, ForeignKey("merchants.id"), nullable=False),
    Column("provider", String(16), nullable=False),
    Column("event_key", String(128), nullable=False),
    Column("dedup_key", String(128)),
    Column("event_type", String(100), nullable=False),
    Column("external_id", String(100)),
    Column("received_at", UTCDateTime, nullable=False),
    Column("result", String(24), nullable=False),
    Column("return_id", ID),
    Column("error_code", String(64)),
    Column("message", String(500)),
    Column("payload", JSON),
    UniqueConstraint("merchant_id", "provider", "dedup_key", name="uq_inbound_events_dedup"),
    Index("ix_inbound_events_merchant", "merchant_id", "id"),
    Index("ix_inbound_events_external", "merchant_id", "provider", "external_id"),
)
