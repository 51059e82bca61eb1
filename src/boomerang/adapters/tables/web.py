"""Dashboard sessions, kept server-side. (Failed sign-ins are counted by `limits`: adapters/rate_limits.py.)"""

from sqlalchemy import Column, ForeignKey, String, Table

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
