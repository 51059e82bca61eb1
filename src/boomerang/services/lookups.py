"""Lookups shared by use cases that take ids from a request body."""

from __future__ import annotations

from boomerang.domain.error_codes import WarehouseErrorCode
from boomerang.domain.errors import FieldError, NotFound, ValidationFailed
from boomerang.domain.tenants import FulfillmentCenter
from boomerang.services.unit_of_work import UnitOfWork


def known_fulfillment_center(
    uow: UnitOfWork, fc_id: str, field: str = "fulfillment_center_id", *, merchant_id: str | None = None
) -> FulfillmentCenter:
    """The FC named in a request; an unknown id is a 422 on that field (the body is wrong, not the URL).
    With `merchant_id`, the merchant (which the result's rendering needs) is read in the same query."""
    if merchant_id is not None:
        uow.tenants.preload(fc_id, merchant_id)
    try:
        return uow.tenants.fulfillment_center(fc_id)
    except NotFound:
        message = f"unknown fulfillment center {fc_id}"
        raise ValidationFailed(
            message, code=WarehouseErrorCode.UNKNOWN_FULFILLMENT_CENTER, details=[FieldError(field, message)]
        )
