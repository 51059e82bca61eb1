"""Shipments, carrier events, dock receipts, unidentified packages, photos and inspections."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StrictBool, StrictInt, StringConstraints

from boomerang.domain.shipments import CarrierStatus, ReceiptOutcome
from boomerang.entrypoints.api.schemas.common import Id, Money, MoneyIn, RequestModel, UtcDatetime
from boomerang.entrypoints.api.schemas.returns import ReturnRead

Text100 = Annotated[str, StringConstraints(min_length=1, max_length=100)]
Scan = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class ShipmentItemIn(RequestModel):
    product_id: Id | None = None
    sku: Text100 | None = None
    quantity: StrictInt
    lot_number: Annotated[str, StringConstraints(max_length=100)] | None = None


class ShipmentCreate(RequestModel):
    store_order_id: Text100
    fulfillment_center_id: Id
    tracking_number: Text100
    carrier: Text100
    label_cost: MoneyIn
    destination_country: Annotated[str, StringConstraints(min_length=2, max_length=2)]
    customer_name: Annotated[str, StringConstraints(max_length=200)] | None = None
    items: Annotated[list[ShipmentItemIn], Field(max_length=500)]


class ShipmentItemRead(BaseModel):
    product_id: str
    sku: str
    quantity: int
    lot_number: str | None


class ShipmentRead(BaseModel):
    id: str
    store_order_id: str
    fulfillment_center_id: str
    tracking_number: str
    carrier: str
    label_cost: Money
    destination_country: str
    customer_name: str | None
    items: list[ShipmentItemRead]
    rts_scanned: bool
    created_at: datetime


class CarrierEventIn(RequestModel):
    tracking_number: Text100
    status: CarrierStatus
    occurred_at: UtcDatetime
    description: Annotated[str, StringConstraints(max_length=500)] | None = None


class CarrierEventAccepted(BaseModel):
    tracking_number: str
    status: CarrierStatus
    shipments_marked_rts: int
    returns_updated: int


class ReceiptCreate(RequestModel):
    fulfillment_center_id: Id
    scanned: Scan
    note: Annotated[str, StringConstraints(max_length=1000)] | None = None


class ReceiptCandidate(BaseModel):
    type: Literal["return", "shipment"]
    id: str
    merchant_id: str
    reference_id: str | None
    tracking_number: str | None
    status: str | None
    customer_name: str | None


class ReceiptRead(BaseModel):
    receipt_id: str
    outcome: ReceiptOutcome
    return_: ReturnRead | None = Field(alias="return")
    candidates: list[ReceiptCandidate]
    unidentified_package_id: str | None


class UnidentifiedRead(BaseModel):
    id: str
    fulfillment_center_id: str
    scanned: str
    received_at: datetime
    note: str | None
    photo_ids: list[str]
    resolved_return_id: str | None
    resolved_at: datetime | None


class UnidentifiedResolve(RequestModel):
    return_id: Id


class UnidentifiedResolved(UnidentifiedRead):
    return_: ReturnRead = Field(alias="return")


class PhotoCreated(BaseModel):
    photo_id: str
    url: str
    return_id: str
    content_type: str
    size_bytes: int
    created_at: datetime


class UnidentifiedPhotoCreated(BaseModel):
    photo_id: str
    url: str
    unidentified_package_id: str
    content_type: str
    size_bytes: int
    created_at: datetime


class InspectionIn(RequestModel):
    quantity_received: StrictInt
    step_results: Annotated[list[StrictBool], Field(max_length=10)] = []
    instructions_unclear: StrictBool = False
    lot_number: Annotated[str, StringConstraints(max_length=100)] | None = None
    expiration_date: date | None = None
    photo_ids: Annotated[list[Id], Field(max_length=20)] = []
    condition_note: Annotated[str, StringConstraints(max_length=1000)] | None = None
