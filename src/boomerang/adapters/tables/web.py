"""Dashboard sessions and failed sign-ins (for throttling), kept server-side."""

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table

from boomerang.adapters.tables.base import metadata
from boomerang.adapters.types import UTCDateTime

# One row per signed-in browser; the cookie holds the token, the table only its SHA-256.
web_sessions = Table(
    "web_sessions",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("user_id", String(40), ForeignKey("users.id"), nullable=False, index=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_seen_at", UTCDateTime, nullable=False),
    Column("revoked_at", UTCDateTime),
)

login_failures = Table(
    "login_failures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("email", String(320), nullable=False),
    Column("client_address", String(64), nullable=False),
    Column("failed_at", UTCDateTime, nullable=False),
    Index("ix_login_failures_email_failed_at", "email", "failed_at"),
    Index("ix_login_failures_client_failed_at", "client_address", "failed_at"),
)
