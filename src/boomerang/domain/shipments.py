"""Outbound shipments (the source of RTS returns), carrier scans and what the dock receives."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from boomerang.domain.money import Money
from boomerang.domain.returns import LineSpec


class CarrierStatus(StrEnum):
    InTransit = "InTransit"
    Delivered = "Delivered"
    ReturnToSender = "ReturnToSender"
    Exception = "Exception"


class ReceiptOutcome(StrEnum):
    Matched = "matched"
    RtsCreated = "rts_created"
    RegularCreated = "regular_created"
    Unidentified = "unidentified"
    Ambiguous = "ambiguous"


@dataclass(frozen=True)
class ShipmentItem:
    product_id: str
    sku: str
    name: str
    quantity: int
    lot_number: str | None = None


@dataclass
class Shipment:
    """An order we shipped from an FC; when it comes back it becomes a return."""

    id: str
    merchant_id: str
    fulfillment_center_id: str
    store_order_id: str
    tracking_number: str
    carrier: str
    label_cost: Money
    destination_country: str
    customer_name: str | None
    created_at: datetime
    items: list[ShipmentItem] = field(default_factory=list)
    rts_scanned: bool = False

    def is_domestic_for(self, fc_country: str) -> bool:
        return self.destination_country == fc_country

    def return_lines(self) -> list[LineSpec]:
        """The shipment's items as return lines: one line per product (lots merged)."""
        lines: dict[str, LineSpec] = {}
        for item in self.items:
            if item.product_id in lines:
                lines[item.product_id].quantity += item.quantity
            else:
                lines[item.product_id] = LineSpec(item.product_id, item.sku, item.name, item.quantity)
        return list(lines.values())

    def return_reference(self, return_to_sender: bool) -> str:
        """The reference id of a return built from this shipment (8-50 of [A-Za-z0-9_-])."""
        return f"{'RTS' if return_to_sender else 'RET'}-{self.id}"


@dataclass
class UnidentifiedPackage:
    """A package that matched nothing at the dock; resolved later by linking it to a return."""

    id: str
    fulfillment_center_id: str
    scanned: str
    received_at: datetime
    note: str | None = None
    photo_ids: list[str] = field(default_factory=list)
    resolved_return_id: str | None = None
    resolved_at: datetime | None = None
    merchant_id: str | None = None
