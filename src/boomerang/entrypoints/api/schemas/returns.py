from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field, StrictInt, StringConstraints, field_validator

from boomerang.domain.products import Action
from boomerang.domain.return_warnings import WarningCode
from boomerang.domain.returns import (
    ActionReason,
    ActionType,
    Channel,
    RequestedAction,
    ReturnStatus,
    ReturnType,
    TakenAction,
)
from boomerang.entrypoints.api.schemas.common import Money, RequestModel

ReferenceId = Annotated[str, StringConstraints(min_length=1, max_length=200)]
OptionalText = Annotated[str, StringConstraints(max_length=100)] | None
ShipmentId = Annotated[str, StringConstraints(max_length=40)] | None
Quantity = Annotated[StrictInt, Field(ge=1, le=100_000)]


class ReturnLineIn(RequestModel):
    product_id: Annotated[str, StringConstraints(min_length=1, max_length=40)] | None = None
    sku: Annotated[str, StringConstraints(min_length=1, max_length=100)] | None = None
    quantity: Quantity
    requested_action: RequestedAction = RequestedAction.Default
    reason: Annotated[str, StringConstraints(max_length=500)] | None = None


TRACKING_NUMBER = "the package's tracking number: one return per package, so unique among your live returns"
ORIGINAL_SHIPMENT = "one of your own shipments (422 `unknown_shipment` otherwise)"


class ReturnCreate(RequestModel):
    reference_id: ReferenceId
    fulfillment_center_id: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    inventory: Annotated[list[ReturnLineIn], Field(max_length=500)]
    tracking_number: OptionalText = Field(None, description=TRACKING_NUMBER)
    original_shipment_id: ShipmentId = Field(None, description=ORIGINAL_SHIPMENT)
    store_order_id: OptionalText = None
    customer_name: Annotated[str, StringConstraints(max_length=200)] | None = None


class ReturnUpdate(RequestModel):
    """Every field optional; a return never moves to another fulfillment center."""

    reference_id: ReferenceId | None = None
    inventory: Annotated[list[ReturnLineIn], Field(max_length=500)] | None = None
    tracking_number: OptionalText = Field(None, description=TRACKING_NUMBER)
    original_shipment_id: ShipmentId = Field(None, description=ORIGINAL_SHIPMENT)
    store_order_id: OptionalText = None
    customer_name: Annotated[str, StringConstraints(max_length=200)] | None = None
    fulfillment_center_id: None = Field(None, description="cannot be changed; only absent or null is accepted")

    @field_validator("fulfillment_center_id", mode="before")
    @classmethod
    def _fc_is_fixed(cls, value: object) -> None:
        if value is not None:
            raise ValueError("a return cannot move to another fulfillment center")
        return None


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


class ActionTakenRead(BaseModel):
    action: TakenAction
    action_reason: ActionReason
    quantity_processed: int
    lot_number: str | None
    expiration_date: date | None
    photo_ids: list[str]


class InspectionRead(BaseModel):
    quantity_received: int
    step_results: list[bool]
    instructions_unclear: bool
    lot_number: str | None
    expiration_date: date | None
    photo_ids: list[str]
    condition_note: str | None


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


class ReturnWarningRead(BaseModel):
    """Something the merchant should know before the package arrives; computed on read, never blocking."""

    code: WarningCode = Field(
        description="ineligible_category (units will be disposed on receipt); restock_not_advised (a lot-tracked, "
        "kitted or SIOC line whose applicable action is Restock); dangerous_goods_prepaid_only (the return ships "
        "only on a Prepaid label); preferences_not_configured (the product's defaults apply)"
    )
    message: str
    line_id: str = Field(description="the line of `inventory` the warning is about")


class TransactionRead(BaseModel):
    id: str
    amount: Money
    transaction_type: str
    created_at: datetime
    return_id: str | None = None
    work_order_id: str | None = None


class StatusChangeRead(BaseModel):
    status: ReturnStatus
    timestamp: datetime
    actor: str


class TrackingEventRead(BaseModel):
    status: str
    occurred_at: datetime
    description: str | None


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
