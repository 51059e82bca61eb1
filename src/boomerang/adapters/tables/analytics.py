"""The dashboard's daily totals of finished UTC days (domain/analytics.py), kept by the rollup job
(services/daily_totals.py), and how far each merchant's are kept: every day up to `through_day`."""

from sqlalchemy import BigInteger, Column, Date, ForeignKey, Integer, String, Table

from boomerang.adapters.tables.base import metadata
from boomerang.adapters.tables.core import ID
from boomerang.adapters.types import UTCDateTime

daily_totals = Table(
    "daily_totals",
    metadata,
    Column("merchant_id", ID, ForeignKey("merchants.id"), primary_key=True),
    Column("metric", String(32), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("key", String(100), primary_key=True),
    Column("label", String(300), primary_key=True),
    Column("hours", Integer, primary_key=True),
    Column("value", BigInteger, nullable=False),
)

daily_totals_marks = Table(
    "daily_totals_marks",
    metadata,
    Column("merchant_id", ID, ForeignKey("merchants.id"), primary_key=True),
    Column("through_day", Date, nullable=False),
    Column("rolled_at", UTCDateTime, nullable=False),
)
