"""Shipments, carrier events, dock receipts, unidentified packages, photos and inspections."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StrictBool, StrictInt, StringConstraints

from boomerang.domain.returns import ReturnOrder
from boomerang.domain.shipments import CarrierStatus, ReceiptOutcome, Shipment, ShipmentItem, UnidentifiedPackage
from boomerang.schemas.common import Id, Money, MoneyIn, RequestModel, UtcDatetime
from boomerang.schemas.returns import ReturnRead
from boomerang.schemas.urls import photo_path
from boomerang.services.photos import StoredPhoto
from boomerang.services.read_models.warehouse import CarrierEventRecorded
from boomerang.services.receiving import Receipt

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

    @classmethod
    def from_domain(cls, item: ShipmentItem) -> ShipmentItemRead:
        return cls(product_id=item.product_id, sku=item.sku, quantity=item.quantity, lot_number=item.lot_number)


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

    @classmethod
    def from_domain(cls, shipment: Shipment) -> ShipmentRead:
        return cls(
            id=shipment.id,
            store_order_id=shipment.store_order_id,
            fulfillment_center_id=shipment.fulfillment_center_id,
            tracking_number=shipment.tracking_number,
            carrier=shipment.carrier,
            label_cost=Money.from_domain(shipment.label_cost),
            destination_country=shipment.destination_country,
            customer_name=shipment.customer_name,
            items=[ShipmentItemRead.from_domain(item) for item in shipment.items],
            rts_scanned=shipment.rts_scanned,
            created_at=shipment.created_at,
        )


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

    @classmethod
    def from_domain(cls, recorded: CarrierEventRecorded) -> CarrierEventAccepted:
        return cls(
            tracking_number=recorded.tracking_number,
            status=recorded.status,
            shipments_marked_rts=recorded.shipments_marked_rts,
            returns_updated=recorded.returns_updated,
        )


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

    @classmethod
    def from_domain(cls, item: ReturnOrder | Shipment) -> ReceiptCandidate:
        """A return the scan matched, or a shipment without a return (a return would be built from it)."""
        if isinstance(item, ReturnOrder):
            return cls(
                type="return",
                id=item.id,
                merchant_id=item.merchant_id,
                reference_id=item.reference_id,
                tracking_number=item.tracking_number,
                status=item.status.value if item.status else None,
                customer_name=item.customer_name,
            )
        return cls(
            type="shipment",
            id=item.id,
            merchant_id=item.merchant_id,
            reference_id=None,
            tracking_number=item.tracking_number,
            status=None,
            customer_name=item.customer_name,
        )


class ReceiptRead(BaseModel):
    receipt_id: str
    outcome: ReceiptOutcome
    return_: ReturnRead | None = Field(alias="return")
    candidates: list[ReceiptCandidate]
    unidentified_package_id: str | None

    @classmethod
    def from_domain(cls, receipt: Receipt, returned: ReturnRead | None) -> ReceiptRead:
        """`returned` is the receipt's return (`receipt.order`) as the API renders it, or None."""
        return cls.model_validate(
            {
                "receipt_id": receipt.receipt_id,
                "outcome": receipt.outcome,
                "return": returned,
                "candidates": [ReceiptCandidate.from_domain(c) for c in receipt.candidates],
                "unidentified_package_id": receipt.package.id if receipt.package else None,
            }
        )


class UnidentifiedRead(BaseModel):
    id: str
    fulfillment_center_id: str
    scanned: str
    received_at: datetime
    note: str | None
    photo_ids: list[str]
    resolved_return_id: str | None
    resolved_at: datetime | None

    @classmethod
    def from_domain(cls, package: UnidentifiedPackage) -> UnidentifiedRead:
        return cls(
            id=package.id,
            fulfillment_center_id=package.fulfillment_center_id,
            scanned=package.scanned,
            received_at=package.received_at,
            note=package.note,
            photo_ids=list(package.photo_ids),
            resolved_return_id=package.resolved_return_id,
            resolved_at=package.resolved_at,
        )


class UnidentifiedResolve(RequestModel):
    return_id: Id


class UnidentifiedResolved(UnidentifiedRead):
    return_: ReturnRead = Field(alias="return")

    # built from the package and its rendered return, not from a package alone as its base is
    @classmethod
    def from_domain(cls, package: UnidentifiedPackage, returned: ReturnRead) -> UnidentifiedResolved:  # type: ignore[override]
        return cls.model_validate({**dict(UnidentifiedRead.from_domain(package)), "return": returned})


class PhotoCreated(BaseModel):
    photo_id: str
    url: str
    return_id: str
    content_type: str
    size_bytes: int
    created_at: datetime

    @classmethod
    def from_domain(cls, photo: StoredPhoto) -> PhotoCreated:
        if photo.return_id is None:
            raise ValueError(f"photo {photo.id} is not of a return")
        return cls(
            photo_id=photo.id,
            url=photo_path(photo.id),
            return_id=photo.return_id,
            content_type=photo.content_type,
            size_bytes=photo.size_bytes,
            created_at=photo.created_at,
        )


class UnidentifiedPhotoCreated(BaseModel):
    photo_id: str
    url: str
    unidentified_package_id: str
    content_type: str
    size_bytes: int
    created_at: datetime

    @classmethod
    def from_domain(cls, photo: StoredPhoto) -> UnidentifiedPhotoCreated:
        if photo.unidentified_package_id is None:
            raise ValueError(f"photo {photo.id} is not of an unidentified package")
        return cls(
            photo_id=photo.id,
            url=photo_path(photo.id),
            unidentified_package_id=photo.unidentified_package_id,
            content_type=photo.content_type,
            size_bytes=photo.size_bytes,
            created_at=photo.created_at,
        )


class InspectionIn(RequestModel):
    quantity_received: StrictInt
    step_results: Annotated[list[StrictBool], Field(max_length=10)] = []
    instructions_unclear: StrictBool = False
    lot_number: Annotated[str, StringConstraints(max_length=100)] | None = None
    expiration_date: date | None = None
    photo_ids: Annotated[list[Id], Field(max_length=20)] = []
    condition_note: Annotated[str, StringConstraints(max_length=1000)] | None = None
