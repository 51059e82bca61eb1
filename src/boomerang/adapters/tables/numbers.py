"""Stable integer numbers for resources whose own ids are strings (ShipBob-compatible API).

One row per (kind, owner, resource): the number is the row's autoincrementing primary key, so two
requests numbering the same resource at once can only agree (the unique key makes one of them wait).
"""

from sqlalchemy import Column, Integer, String, Table, UniqueConstraint

from boomerang.adapters.tables.base import metadata
from boomerang.adapters.tables.core import ID

compat_numbers = Table(
    "compat_numbers",
    metadata,
    Column("number", Integer, primary_key=True, autoincrement=True),
    # return | product | fulfillment_center | shipment | channel
    Column("kind", String(24), nullable=False),
    # the owning merchant; "" for fulfillment centers, which every merchant shares
    Column("owner_id", ID, nullable=False),
    # our id; for shipments the return's original_shipment_id, which may be free text
    Column("resource_id", String(100), nullable=False),
    UniqueConstraint("kind", "owner_id", "resource_id", name="uq_compat_numbers_resource"),
    sqlite_autoincrement=True,
)
