"""Pydantic mirrors of the ShipBob 2026-01 contract's schemas (names as in the contract, minus prefixes).

Date-times are strings because they are rendered with an explicit "+00:00" offset, as the contract wants.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StringConstraints

from boomerang.domain.return_rules import DETAIL_LENGTHS
from boomerang.domain.returns import RequestedAction

Int32 = Annotated[StrictInt, Field(ge=-(2**31), le=2**31 - 1)]
Text100 = Annotated[str, StringConstraints(max_length=100)]
TrackingNumber = Annotated[str, StringConstraints(max_length=DETAIL_LENGTHS["tracking_number"])]


class Request(BaseModel):
    model_config = ConfigDict(extra="ignore")


class Facility(Request):
    id: Int32
    name: str | None = None


class ReturnInventory(Request):
    id: Int32
    quantity: Int32
    requested_action: RequestedAction
    lot_date: datetime | None = None
    lot_number: Text100 | None = None


class CreateReturnRequest(Request):
    fulfillment_center: Facility
    inventory: Annotated[list[ReturnInventory], Field(max_length=500)]
    original_shipment_id: Int32 | None = None
    reference_id: Annotated[str, StringConstraints(max_length=200)]
    tracking_number: TrackingNumber | None = None


class ChannelDto(BaseModel):
    id: int
    name: str | None


class FulfillmentCenterDto(BaseModel):
    id: int
    name: str | None


class ActionRequestedDto(BaseModel):
    action: str | None
    action_type: str | None
    instructions: str | None


class ActionTakenDto(BaseModel):
    action: str | None
    action_reason: str | None
    image_url: str | None
    quantity_processed: int


class LotInformationDto(BaseModel):
    expiration: str | None
    minimumShelfLife: int | None
    number: str | None


class InventoryItemV1Dto(BaseModel):
    action_requested: ActionRequestedDto
    action_taken: list[ActionTakenDto] | None
    id: int
    name: str | None
    quantity: int


class InventoryItemDto(InventoryItemV1Dto):
    barcodes: list[str] | None
    lot_information: LotInformationDto
    sku: str | None


class InvoiceDto(BaseModel):
    amount: float | None
    currency_code: str | None


class StatusHistoryDto(BaseModel):
    status: str | None
    timestamp: str


class TransactionDto(BaseModel):
    amount: float
    transaction_type: str | None


class _ReturnFields(BaseModel):
    channel: ChannelDto
    completed_date: str | None
    customer_name: str | None
    fulfillment_center: FulfillmentCenterDto
    id: int
    insert_date: str
    original_shipment_id: int | None
    reference_id: str | None
    return_type: str | None
    status: str | None
    store_order_id: str | None
    tracking_number: str | None
    transactions: list[TransactionDto] | None


class PublicReturnV1Dto(_ReturnFields):
    """POST and PUT answers."""

    inventory: list[InventoryItemV1Dto] | None
    invoice_amount: float | None


class PublicReturnDto(_ReturnFields):
    """GET answers."""

    arrived_date: str | None
    awaiting_arrival_date: str | None
    cancelled_date: str | None
    inventory: list[InventoryItemDto] | None
    invoice: InvoiceDto
    processing_date: str | None
    shipment_tracking_number: str | None
    status_history: list[StatusHistoryDto] | None


class PublicReturnDtoPagedUrlResultDto(BaseModel):
    first: str | None
    items: list[PublicReturnDto] | None
    last: str | None
    next: str | None
    prev: str | None


class ChannelViewModel(BaseModel):
    application_name: str | None
    id: int
    name: str | None
    scopes: list[str] | None


class ChannelsV2ViewModel(BaseModel):
    items: list[ChannelViewModel] | None
    next: str | None
    prev: str | None


class ProblemDetails(BaseModel):
    type: str | None = None
    title: str | None = None
    status: int | None = None
    detail: str | None = None
    instance: str | None = None


class ApiError(BaseModel):
    message: str | None = None
    errors: list[str] | None = None
    details: object | None = None
    stackTrace: str | None = None
