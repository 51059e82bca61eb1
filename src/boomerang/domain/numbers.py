"""The integer numbers the ShipBob mount shows for our string ids: one sequence per kind."""

from __future__ import annotations

from enum import StrEnum

SHARED = ""  # owner of resources every merchant sees (fulfillment centers)


class NumberKind(StrEnum):
    # Assigned in this order within a transaction, so concurrent transactions lock rows in one order.
    channel = "channel"
    fulfillment_center = "fulfillment_center"
    product = "product"
    return_ = "return"
    shipment = "shipment"


__all__ = ["SHARED", "NumberKind"]
