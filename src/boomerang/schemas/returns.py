from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, TypeVar

from pydantic import BaseModel, Field, StrictInt, StringConstraints, field_validator

from boomerang.domain import returns as domain
from boomerang.domain.billing import Transaction
from boomerang.domain.money import Money as DomainMoney
from boomerang.domain.products import Action
from boomerang.domain.return_rules import DETAIL_LENGTHS, MAX_REASON_LENGTH
from boomerang.domain.return_warnings import ReturnWarning, WarningCode
from boomerang.domain.returns import (
    ActionReason,
    ActionType,
    Channel,
    RequestedAction,
    ReturnStatus,
    ReturnType,
    TakenAction,
)
from boomerang.schemas.common import Money, RequestModel
from boomerang.schemas.urls import label_pdf_path
from boomerang.services.read_models.returns import LineView, ReturnView

ReferenceId = Annotated[str, StringConstraints(min_length=1, max_length=200)]
TrackingNumber = Annotated[str, StringConstraints(max_length=DETAIL_LENGTHS["tracking_number"])] | None
StoreOrderId = Annotated[str, StringConstraints(max_length=DETAIL_LENGTHS["store_order_id"])] | None
CustomerName = Annotated[str, StringConstraints(max_length=DETAIL_LENGTHS["customer_name"])] | None
ShipmentId = Annotated[str, StringConstraints(max_length=40)] | None
Quantity = Annotated[StrictInt, Field(ge=1, le=domain.MAX_LINE_QUANTITY)]


class ReturnLineIn(RequestModel):
    product_id: Annotated[str, StringConstraints(min_length=1, max_length=40)] | None = None
    sku: Annotated[str, StringConstraints(min_length=1, max_length=100)] | None = None
    quantity: Quantity
    requested_action: RequestedAction = RequestedAction.Default
    reason: Annotated[str, StringConstraints(max_length=MAX_REASON_LENGTH)] | None = None


TRACKING_NUMBER = "the package's tracking number: one return per package, so unique among your live returns"
ORIGINAL_SHIPMENT = "one of your own shipments (422 `unknown_shipment` otherwise)"


class ReturnCreate(RequestModel):
    reference_id: ReferenceId
    fulfillment_center_id: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    inventory: Annotated[list[ReturnLineIn], Field(max_length=500)]
    tracking_number: TrackingNumber = Field(None, description=TRACKING_NUMBER)
    original_shipment_id: ShipmentId = Field(None, description=ORIGINAL_SHIPMENT)
    store_order_id: StoreOrderId = None
    customer_name: CustomerName = None


class ReturnUpdate(RequestModel):
    """Every field optional; a return never moves to another fulfillment center."""

    reference_id: ReferenceId | None = None
    inventory: Annotated[list[ReturnLineIn], Field(max_length=500)] | None = None
    tracking_number: TrackingNumber = Field(None, description=TRACKING_NUMBER)
    original_shipment_id: ShipmentId = Field(None, description=ORIGINAL_SHIPMENT)
    store_order_id: StoreOrderId = None
    customer_name: CustomerName = None
    fulfillment_center_id: None = Field(None, description="cannot be changed; only absent or null is accepted")

    @field_validator("fulfillment_center_id", mode="before")
    @classmethod
    def _fc_is_fixed(cls, value: object) -> None:
        if value is not None:
            raise ValueError("a return cannot move to another fulfillment center")
        return None


K = TypeVar("K")


def _known(value: K | None) -> K:
    """A field that the ORM types as optional but every stored return has."""
    if value is None:
        raise ValueError("a stored return always has a status and a version")
    return value


class FulfillmentCenterRef(BaseModel):
    id: str
    name: str


class LabelRead(BaseModel):
    type: str
    carrier: str
    service: str | None
    tracking_number: str
    cost: Money
    url: str

    @classmethod
    def from_domain(cls, return_id: str, label: domain.Label) -> LabelRead:
        return cls(
            type=label.type,
            carrier=label.carrier,
            service=label.service,
            tracking_number=label.tracking_number,
            cost=Money.from_domain(DomainMoney.parse(label.cost_amount, label.currency)),
            url=label_pdf_path(return_id),
        )


class ActionTakenRead(BaseModel):
    action: TakenAction
    action_reason: ActionReason
    quantity_processed: int
    lot_number: str | None
    expiration_date: date | None
    photo_ids: list[str]

    @classmethod
    def from_domain(cls, action: domain.ActionTaken) -> ActionTakenRead:
        return cls(
            action=action.action,
            action_reason=action.action_reason,
            quantity_processed=action.quantity_processed,
            lot_number=action.lot_number,
            expiration_date=action.expiration_date,
            photo_ids=list(action.photo_ids),
        )


class InspectionRead(BaseModel):
    quantity_received: int
    step_results: list[bool]
    instructions_unclear: bool
    lot_number: str | None
    expiration_date: date | None
    photo_ids: list[str]
    condition_note: str | None

    @classmethod
    def from_domain(cls, inspection: domain.Inspection) -> InspectionRead:
        return cls(
            quantity_received=inspection.quantity_received,
            step_results=list(inspection.step_results),
            instructions_unclear=inspection.instructions_unclear,
            lot_number=inspection.lot_number,
            expiration_date=inspection.expiration_date,
            photo_ids=list(inspection.photo_ids),
            condition_note=inspection.condition_note,
        )


class ReturnLineRead(BaseModel):
    id: str
    product_id: str
    sku: str
    name: str
    quantity: int
    requested_action: RequestedAction
    action_type: ActionType
    reason: str | None
    expected_action: Action = Field(
        description="what the decision table gives if every unit arrives and passes inspection "
        "(ineligible category: Dispose from the moment the return exists)"
    )
    expected_reason: ActionReason = Field(description="the action_reason that goes with expected_action")
    quantity_received: int | None
    inspection: InspectionRead | None
    actions_taken: list[ActionTakenRead]

    @classmethod
    def from_domain(cls, view: LineView) -> ReturnLineRead:
        line, expected = view.line, view.expected
        return cls(
            id=line.id,
            product_id=line.product_id,
            sku=line.sku,
            name=line.name,
            quantity=line.quantity,
            requested_action=line.requested_action,
            action_type=line.action_type,
            reason=line.reason,
            expected_action=Action(expected.action),
            expected_reason=expected.reason,
            quantity_received=line.quantity_received,
            inspection=None if line.inspection is None else InspectionRead.from_domain(line.inspection),
            actions_taken=[ActionTakenRead.from_domain(a) for a in view.actions_taken],
        )


class ReturnWarningRead(BaseModel):
    """Something the merchant should know before the package arrives; computed on read, never blocking."""

    code: WarningCode = Field(
        description="ineligible_category (units will be disposed on receipt); restock_not_advised (a lot-tracked, "
        "kitted or SIOC line whose applicable action is Restock); dangerous_goods_prepaid_only (the return ships "
        "only on a Prepaid label); preferences_not_configured (the product's defaults apply)"
    )
    message: str
    line_id: str = Field(description="the line of `inventory` the warning is about")

    @classmethod
    def from_domain(cls, warning: ReturnWarning) -> ReturnWarningRead:
        return cls(code=warning.code, message=warning.message, line_id=warning.line_id)


class TransactionRead(BaseModel):
    id: str
    amount: Money
    transaction_type: str
    created_at: datetime
    return_id: str | None = None
    work_order_id: str | None = None

    @classmethod
    def from_domain(cls, transaction: Transaction) -> TransactionRead:
        """A fee transaction, on a return or in the transaction list (one shape for both)."""
        return cls(
            id=transaction.id,
            amount=Money.from_domain(transaction.amount),
            transaction_type=transaction.transaction_type.value,
            created_at=transaction.created_at,
            return_id=transaction.return_id,
            work_order_id=transaction.work_order_id,
        )


class StatusChangeRead(BaseModel):
    status: ReturnStatus
    timestamp: datetime
    actor: str

    @classmethod
    def from_domain(cls, change: domain.StatusChange) -> StatusChangeRead:
        return cls(status=change.status, timestamp=change.timestamp, actor=change.actor)


class TrackingEventRead(BaseModel):
    status: str
    occurred_at: datetime
    description: str | None

    @classmethod
    def from_domain(cls, event: domain.TrackingEvent) -> TrackingEventRead:
        return cls(status=event.status, occurred_at=event.occurred_at, description=event.description)


class ReturnRead(BaseModel):
    id: str
    reference_id: str
    status: ReturnStatus
    return_type: ReturnType
    channel: Channel
    fulfillment_center: FulfillmentCenterRef
    customer_name: str | None
    original_shipment_id: str | None
    store_order_id: str | None
    tracking_number: str | None
    label: LabelRead | None
    insert_date: datetime
    awaiting_arrival_date: datetime | None
    arrived_date: datetime | None
    processing_date: datetime | None
    completed_date: datetime | None
    cancelled_date: datetime | None
    inventory: list[ReturnLineRead]
    warnings: list[ReturnWarningRead]
    transactions: list[TransactionRead]
    invoice_amount: Money
    status_history: list[StatusChangeRead]
    tracking_events: list[TrackingEventRead]
    version: int

    @classmethod
    def from_domain(cls, view: ReturnView) -> ReturnRead:
        order, fc = view.order, view.fulfillment_center
        return cls(
            id=order.id,
            reference_id=order.reference_id,
            status=_known(order.status),
            return_type=order.return_type,
            channel=order.channel,
            fulfillment_center=FulfillmentCenterRef(id=fc.id, name=fc.name),
            customer_name=order.customer_name,
            original_shipment_id=order.original_shipment_id,
            store_order_id=order.store_order_id,
            tracking_number=order.tracking_number,
            label=None if order.label is None else LabelRead.from_domain(order.id, order.label),
            insert_date=order.insert_date,
            awaiting_arrival_date=order.awaiting_arrival_date,
            arrived_date=order.arrived_date,
            processing_date=order.processing_date,
            completed_date=order.completed_date,
            cancelled_date=order.cancelled_date,
            inventory=[ReturnLineRead.from_domain(LineView(line, view.expected[line.id])) for line in order.lines],
            warnings=[ReturnWarningRead.from_domain(w) for w in view.warnings],
            transactions=[TransactionRead.from_domain(t) for t in view.transactions],
            invoice_amount=Money.from_domain(view.invoice_amount),
            status_history=[StatusChangeRead.from_domain(h) for h in order.status_history],
            tracking_events=[TrackingEventRead.from_domain(e) for e in order.tracking_events],
            version=_known(order.version),
        )
