"""The return order aggregate: one package coming back, its lines and its status machine."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from boomerang.domain.error_codes import ReturnErrorCode
from boomerang.domain.errors import (
    Conflict,
    FieldError,
    InvalidTransition,
    ValidationFailed,
)
from boomerang.domain.events import DomainEvent
from boomerang.domain.products import Action, BackupAction
from boomerang.domain.return_rules import MAX_REASON_LENGTH, validate_details, validate_reference_id


class ReturnStatus(StrEnum):
    AwaitingArrival = "AwaitingArrival"
    Arrived = "Arrived"
    Processing = "Processing"
    Completed = "Completed"
    Cancelled = "Cancelled"


class ReturnType(StrEnum):
    Regular = "Regular"
    ReturnToSender = "ReturnToSender"


class Channel(StrEnum):
    Dashboard = "Dashboard"
    API = "API"
    AfterShip = "AfterShip"
    Loop = "Loop"
    Warehouse = "Warehouse"
    Carrier = "Carrier"


class RequestedAction(StrEnum):
    Default = "Default"
    Restock = "Restock"
    Quarantine = "Quarantine"
    Dispose = "Dispose"

    @property
    def override(self) -> Action | None:
        """The merchant action this request overrides the preference with; None for Default."""
        return None if self is RequestedAction.Default else Action[self.name]


class ActionType(StrEnum):
    InventoryDefault = "InventoryDefault"
    Override = "Override"


class TakenAction(StrEnum):
    Restock = "Restock"
    Quarantine = "Quarantine"
    Dispose = "Dispose"
    Missing = "Missing"

    @classmethod
    def of(cls, action: Action | BackupAction) -> TakenAction:
        """The action taken when the decision table carries out a merchant (or backup) action: the one of
        the same name (every merchant action is also an action taken)."""
        return cls[action.name]


class ActionReason(StrEnum):
    IneligibleCategory = "IneligibleCategory"
    MerchantPreference = "MerchantPreference"
    FailedInspection = "FailedInspection"
    UnclearInstructions = "UnclearInstructions"
    ShelfLife = "ShelfLife"
    LotUnverified = "LotUnverified"
    NotReceived = "NotReceived"


# The status table: (from, event) -> to. Nothing else changes a return's status.
TRANSITIONS: dict[tuple[ReturnStatus | None, str], ReturnStatus] = {
    (None, "create"): ReturnStatus.AwaitingArrival,
    (ReturnStatus.AwaitingArrival, "cancel"): ReturnStatus.Cancelled,
    (ReturnStatus.AwaitingArrival, "receive"): ReturnStatus.Arrived,
    (ReturnStatus.Arrived, "start_processing"): ReturnStatus.Processing,
    (ReturnStatus.Processing, "complete"): ReturnStatus.Completed,
}

_DATE_FIELD = {
    ReturnStatus.AwaitingArrival: "awaiting_arrival_date",
    ReturnStatus.Arrived: "arrived_date",
    ReturnStatus.Processing: "processing_date",
    ReturnStatus.Completed: "completed_date",
    ReturnStatus.Cancelled: "cancelled_date",
}


@dataclass(frozen=True)
class Inspection:
    """What the operator recorded for one line."""

    quantity_received: int
    step_results: tuple[bool, ...] = ()
    instructions_unclear: bool = False
    lot_number: str | None = None
    expiration_date: date | None = None
    photo_ids: tuple[str, ...] = ()
    condition_note: str | None = None


@dataclass(frozen=True)
class ActionTaken:
    action: TakenAction
    action_reason: ActionReason
    quantity_processed: int
    lot_number: str | None = None
    expiration_date: date | None = None
    photo_ids: tuple[str, ...] = ()


@dataclass
class StatusChange:
    status: ReturnStatus
    timestamp: datetime
    actor: str
    merchant_id: str = ""


@dataclass
class TrackingEvent:
    tracking_number: str
    status: str
    occurred_at: datetime
    description: str | None = None
    merchant_id: str | None = None


@dataclass
class LineSpec:
    """A requested line before it becomes part of a return (product already resolved)."""

    product_id: str
    sku: str
    name: str
    quantity: int
    requested_action: RequestedAction = RequestedAction.Default
    reason: str | None = None


@dataclass
class ReturnLine:
    id: str
    product_id: str
    sku: str
    name: str
    quantity: int
    merchant_id: str = ""
    position: int = 0
    requested_action: RequestedAction = RequestedAction.Default
    reason: str | None = None
    inspection: Inspection | None = None
    actions_taken: list[ActionTaken] = field(default_factory=list)

    @property
    def action_type(self) -> ActionType:
        if self.requested_action is RequestedAction.Default:
            return ActionType.InventoryDefault
        return ActionType.Override

    @property
    def override(self) -> Action | None:
        return self.requested_action.override

    @property
    def quantity_received(self) -> int | None:
        return None if self.inspection is None else self.inspection.quantity_received


@dataclass
class Label:
    type: str
    carrier: str
    service: str | None
    tracking_number: str
    cost_amount: str
    currency: str
    # where the customer ships from (printed on the label): {name, line1, city, postal_code, country}
    origin_address: dict[str, str] | None = None


# The most units one return line may hold, whichever client asks (API, pages, ShipBob mount, platforms).
MAX_LINE_QUANTITY = 100_000


def validate_lines(lines: list[LineSpec], field_prefix: str = "inventory") -> None:
    errors: list[FieldError] = []
    if not lines:
        errors.append(FieldError(field_prefix, "a return needs at least one line"))
    seen: set[str] = set()
    for i, line in enumerate(lines):
        if line.quantity < 1:
            errors.append(FieldError(f"{field_prefix}[{i}].quantity", "quantity must be at least 1"))
        elif line.quantity > MAX_LINE_QUANTITY:
            errors.append(FieldError(f"{field_prefix}[{i}].quantity", f"quantity must be at most {MAX_LINE_QUANTITY}"))
        if len(line.reason or "") > MAX_REASON_LENGTH:
            errors.append(FieldError(f"{field_prefix}[{i}].reason", f"at most {MAX_REASON_LENGTH} characters"))
        if line.product_id in seen:
            errors.append(FieldError(f"{field_prefix}[{i}]", "each product may appear only once"))
        seen.add(line.product_id)
    if errors:
        raise ValidationFailed("invalid return lines", details=errors)


EDITABLE_FIELDS = ("reference_id", "tracking_number", "customer_name", "original_shipment_id", "store_order_id")


@dataclass
class ReturnOrder:
    id: str
    merchant_id: str
    fulfillment_center_id: str
    reference_id: str
    return_type: ReturnType
    channel: Channel
    insert_date: datetime
    customer_name: str | None = None
    original_shipment_id: str | None = None
    store_order_id: str | None = None
    tracking_number: str | None = None
    status: ReturnStatus | None = None
    awaiting_arrival_date: datetime | None = None
    arrived_date: datetime | None = None
    processing_date: datetime | None = None
    completed_date: datetime | None = None
    cancelled_date: datetime | None = None
    label: Label | None = None
    label_tracking_number: str | None = None
    lines: list[ReturnLine] = field(default_factory=list)
    status_history: list[StatusChange] = field(default_factory=list)
    tracking_events: list[TrackingEvent] = field(default_factory=list)
    version: int | None = None
    number: int | None = None
    events: list[DomainEvent] = field(default_factory=list, repr=False)

    @classmethod
    def create(
        cls,
        *,
        id: str,
        merchant_id: str,
        fulfillment_center_id: str,
        reference_id: str,
        return_type: ReturnType,
        channel: Channel,
        lines: list[LineSpec],
        line_ids: list[str],
        actor: str,
        now: datetime,
        **details: str | None,
    ) -> ReturnOrder:
        validate_reference_id(reference_id)
        validate_details(details)
        validate_lines(lines)
        order = cls(
            id=id,
            merchant_id=merchant_id,
            fulfillment_center_id=fulfillment_center_id,
            reference_id=reference_id,
            return_type=return_type,
            channel=channel,
            insert_date=now,
            **details,  # type: ignore[arg-type]
        )
        order.lines = _build_lines(lines, line_ids, merchant_id)
        order.version = 1
        order._transition("create", actor, now)
        order.events.append(DomainEvent("return.created", "return", id))
        return order

    @property
    def is_editable(self) -> bool:
        return self.status is ReturnStatus.AwaitingArrival

    def require_editable(self) -> None:
        if not self.is_editable:
            raise Conflict(
                f"return is {self.status}; it can be edited only while AwaitingArrival",
                code=ReturnErrorCode.RETURN_NOT_EDITABLE,
            )

    def edit(self, changes: dict[str, str | None], lines: list[LineSpec] | None, line_ids: list[str]) -> None:
        """Change details or lines; only before arrival."""
        self.require_editable()
        if "reference_id" in changes:
            validate_reference_id(changes["reference_id"] or "")
        validate_details(changes)
        if lines is not None:
            validate_lines(lines)
        for name, value in changes.items():
            if name not in EDITABLE_FIELDS:
                raise ValidationFailed(f"{name} cannot be edited")
            setattr(self, name, value)
        if lines is not None:
            self.lines = _build_lines(lines, line_ids, self.merchant_id)
        self.events.append(DomainEvent("return.updated", "return", self.id))

    def attach_label(self, label: Label) -> None:
        self.require_editable()
        self.label = label
        self.label_tracking_number = label.tracking_number
        self.events.append(DomainEvent("return.updated", "return", self.id))

    def record_tracking_event(self, event: TrackingEvent) -> None:
        event.merchant_id = self.merchant_id
        self.tracking_events.append(event)

    def cancel(self, actor: str, now: datetime) -> None:
        self._transition("cancel", actor, now)
        self.events.append(DomainEvent("return.cancelled", "return", self.id))

    def receive(self, actor: str, now: datetime) -> None:
        if self.status in (ReturnStatus.Arrived, ReturnStatus.Processing, ReturnStatus.Completed):
            raise Conflict(f"return {self.reference_id} has already arrived", code=ReturnErrorCode.ALREADY_ARRIVED)
        self._transition("receive", actor, now)
        self.events.append(DomainEvent("return.arrived", "return", self.id))

    def start_processing(self, actor: str, now: datetime) -> None:
        self._transition("start_processing", actor, now)
        self.events.append(DomainEvent("return.updated", "return", self.id))

    def line(self, line_id: str) -> ReturnLine:
        for line in self.lines:
            if line.id == line_id:
                return line
        from boomerang.domain.errors import NotFound

        raise NotFound(f"line {line_id} not found on return {self.id}")

    def record_inspection(self, line_id: str, inspection: Inspection) -> ReturnLine:
        """The operator's findings for one line; only while Processing (a later one replaces it)."""
        if self.status is not ReturnStatus.Processing:
            raise InvalidTransition(f"inspections are recorded only while Processing; the return is {self.status}")
        line = self.line(line_id)
        line.inspection = inspection
        self.events.append(DomainEvent("return.updated", "return", self.id))
        return line

    def complete(self, actor: str, now: datetime, decisions: dict[str, list[ActionTaken]]) -> None:
        """Processing -> Completed, recording the decided actions of every line."""
        self._transition("complete", actor, now)
        for line in self.lines:
            line.actions_taken = list(decisions[line.id])
        self.events.append(DomainEvent("return.completed", "return", self.id))

    def _transition(self, event: str, actor: str, now: datetime) -> None:
        target = TRANSITIONS.get((self.status, event))
        if target is None:
            raise InvalidTransition(f"cannot {event.replace('_', ' ')} a return that is {self.status}")
        self.status = target
        setattr(self, _DATE_FIELD[target], now)
        self.status_history.append(StatusChange(target, now, actor, self.merchant_id))


def _build_lines(specs: list[LineSpec], line_ids: list[str], merchant_id: str) -> list[ReturnLine]:
    return [
        ReturnLine(
            id=line_id,
            product_id=spec.product_id,
            sku=spec.sku,
            name=spec.name,
            quantity=spec.quantity,
            merchant_id=merchant_id,
            position=i,
            requested_action=spec.requested_action,
            reason=spec.reason,
        )
        for i, (spec, line_id) in enumerate(zip(specs, line_ids, strict=True))
    ]
