"""Work orders: the only way quarantined stock leaves (Disposal, or a removal shipped out).

A work order reserves quarantined units when created and moves them when an operator completes it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from boomerang.domain.addresses import Address
from boomerang.domain.error_codes import WorkOrderErrorCode
from boomerang.domain.errors import FieldError, InvalidTransition, ValidationFailed
from boomerang.domain.events import DomainEvent
from boomerang.domain.inventory import Bucket, LedgerEntry

# (merchant_id, product_id, fulfillment_center_id, lot_number, expiration_date): units reserved by open work orders
ReservationKey = tuple[str, str, str, str | None, date | None]


class WorkOrderType(StrEnum):
    Disposal = "Disposal"
    B2CRemoval = "B2CRemoval"
    B2BRemoval = "B2BRemoval"


class WorkOrderStatus(StrEnum):
    Open = "Open"
    Completed = "Completed"
    Cancelled = "Cancelled"


# The status table: (from, event) -> to. Nothing else changes a work order's status.
TRANSITIONS: dict[tuple[WorkOrderStatus | None, str], WorkOrderStatus] = {
    (None, "create"): WorkOrderStatus.Open,
    (WorkOrderStatus.Open, "complete"): WorkOrderStatus.Completed,
    (WorkOrderStatus.Open, "cancel"): WorkOrderStatus.Cancelled,
}

# Where the units go when the work order is completed.
DESTINATION = {
    WorkOrderType.Disposal: Bucket.Disposed,
    WorkOrderType.B2CRemoval: Bucket.Shipped,
    WorkOrderType.B2BRemoval: Bucket.Shipped,
}


@dataclass(frozen=True)
class Availability:
    """Quarantined units of one lot bucket, (lot number, expiration date), that no open work order reserved yet.

    One lot number may arrive with two expiration dates: those are two buckets, never merged.
    """

    lot_number: str | None
    expiration_date: date | None
    available: int


@dataclass
class WorkOrderItem:
    id: str
    product_id: str
    quantity: int
    lot_number: str | None = None
    expiration_date: date | None = None
    merchant_id: str = ""
    position: int = 0
    quantity_picked: int | None = None

    @property
    def units_moved(self) -> int:
        """Units that leave quarantine: what was picked once completed, else the reserved quantity."""
        return self.quantity if self.quantity_picked is None else self.quantity_picked


def allocate(
    quantity: int,
    lot_number: str | None,
    lots: list[Availability],
    field_name: str,
    expiration_date: date | None = None,
) -> list[tuple[Availability, int]]:
    """Which buckets a requested quantity comes from: the named lot (and expiry), else unlotted stock first,
    then the earliest expiry first."""
    if lot_number is not None:
        lots = [lot for lot in lots if lot.lot_number == lot_number]
    if expiration_date is not None:
        lots = [lot for lot in lots if lot.expiration_date == expiration_date]
    ordered = sorted(
        lots, key=lambda lot: (lot.lot_number is not None, lot.expiration_date or date.max, lot.lot_number or "")
    )
    available = sum(lot.available for lot in ordered)
    if quantity > available:
        message = f"only {available} quarantined units are available, {quantity} requested"
        raise ValidationFailed(
            message, code=WorkOrderErrorCode.INSUFFICIENT_QUARANTINE_STOCK, details=[FieldError(field_name, message)]
        )
    taken: list[tuple[Availability, int]] = []
    remaining = quantity
    for lot in ordered:
        if remaining == 0:
            break
        take = min(remaining, lot.available)
        if take > 0:
            taken.append((lot, take))
            remaining -= take
    return taken


def validate_destination(work_order_type: WorkOrderType, ship_to: Address | None, fc_country: str) -> None:
    """Disposals ship nowhere; removals ship to an address in the FC's country."""
    if work_order_type is WorkOrderType.Disposal:
        if ship_to is not None:
            raise ValidationFailed(
                "a Disposal has no ship_to", details=[FieldError("ship_to", "omit ship_to for a Disposal")]
            )
        return
    if ship_to is None:
        raise ValidationFailed("a removal needs ship_to", details=[FieldError("ship_to", "ship_to is required")])
    if ship_to.country != fc_country:
        message = f"removals from this fulfillment center ship only within {fc_country}"
        raise ValidationFailed(
            message, code=WorkOrderErrorCode.REMOVAL_COUNTRY_MISMATCH, details=[FieldError("ship_to.country", message)]
        )


@dataclass
class WorkOrder:
    id: str
    merchant_id: str
    fulfillment_center_id: str
    type: WorkOrderType
    created_at: datetime
    created_by: str
    ship_to: Address | None = None
    status: WorkOrderStatus | None = None
    updated_at: datetime | None = None
    completed_at: datetime | None = None
    completed_by: str | None = None
    cancelled_at: datetime | None = None
    items: list[WorkOrderItem] = field(default_factory=list)
    version: int | None = None
    events: list[DomainEvent] = field(default_factory=list, repr=False)

    @classmethod
    def open(cls, *, items: list[WorkOrderItem], **fields: object) -> WorkOrder:
        order = cls(**fields)  # type: ignore[arg-type]
        for position, item in enumerate(items):
            item.merchant_id = order.merchant_id
            item.position = position
        order.items = items
        order.version = 1
        order._transition("create", order.created_at)
        return order

    @property
    def destination(self) -> Bucket:
        return DESTINATION[self.type]

    @property
    def units(self) -> int:
        return sum(item.units_moved for item in self.items)

    def complete(
        self, actor: str, now: datetime, entry_ids: list[str], picked: dict[str, int] | None = None
    ) -> list[LedgerEntry]:
        """Open -> Completed; returns the ledger entries moving the picked units out of quarantine.

        `picked` (item id -> units) is what the operator found on the shelf, 0 to the reserved
        quantity; items it does not name are picked in full. Unpicked units stay in quarantine."""
        picked = picked or {}
        errors = [
            FieldError(f"items[{n}].quantity_picked", f"picked is 0 to {item.quantity}")
            for n, item in enumerate(self.items)
            if not 0 <= picked.get(item.id, item.quantity) <= item.quantity
        ]
        errors += [FieldError("items", f"unknown item {i}") for i in sorted(set(picked) - {i.id for i in self.items})]
        if errors:
            raise ValidationFailed("the picked quantities do not fit the work order", details=errors)
        self._transition("complete", now)
        for item in self.items:
            item.quantity_picked = picked.get(item.id, item.quantity)
        self.completed_at = now
        self.completed_by = actor
        self.events.append(DomainEvent("work_order.completed", "work_order", self.id))
        return self._movements(actor, now, iter(entry_ids))

    def cancel(self, now: datetime) -> None:
        """Open -> Cancelled; the reservation ends with the Open status."""
        self._transition("cancel", now)
        self.cancelled_at = now

    def _movements(self, actor: str, now: datetime, ids: Iterator[str]) -> list[LedgerEntry]:
        entries = []
        reason = f"WorkOrder{self.type.value}"
        for item in self.items:
            if item.units_moved == 0:
                continue
            for bucket, sign in ((Bucket.Quarantine, -1), (self.destination, 1)):
                entries.append(
                    LedgerEntry(
                        id=next(ids),
                        merchant_id=self.merchant_id,
                        product_id=item.product_id,
                        fulfillment_center_id=self.fulfillment_center_id,
                        bucket=bucket,
                        quantity=sign * item.units_moved,
                        reason=reason,
                        originator=actor,
                        created_at=now,
                        lot_number=item.lot_number,
                        expiration_date=item.expiration_date,
                        work_order_id=self.id,
                    )
                )
        return entries

    def _transition(self, event: str, now: datetime) -> None:
        target = TRANSITIONS.get((self.status, event))
        if target is None:
            raise InvalidTransition(f"cannot {event} a work order that is {self.status}")
        self.status = target
        self.updated_at = now
