"""ShipBob-compatible return use cases: numbers in, numbers out, our own return services in between.

Nothing here decides anything about returns: ids are translated, then `services.returns` does the work.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

from boomerang.domain.error_codes import IntegrationErrorCode, ReturnErrorCode
from boomerang.domain.errors import FieldError, Forbidden, NotFound, ValidationFailed
from boomerang.domain.products import Product
from boomerang.domain.returns import Channel, RequestedAction, ReturnOrder
from boomerang.domain.tenants import FulfillmentCenter
from boomerang.services import returns
from boomerang.services.compat_numbers import NumberKind, numbers_of, resolve_numbers
from boomerang.services.queries import CompatReturnFilters, ProductFilters
from boomerang.services.read_models.returns import ReturnView, return_views
from boomerang.services.returns import LineRequest
from boomerang.services.unit_of_work import UnitOfWork


@dataclass
class NumberedLine:
    inventory_number: int
    quantity: int
    requested_action: RequestedAction


@dataclass
class NumberedReturnRequest:
    """ShipBob's CreateReturnRequest, still in numbers."""

    reference_id: str
    fulfillment_center_number: int
    lines: list[NumberedLine]
    original_shipment_number: int | None = None
    tracking_number: str | None = None


@dataclass
class Presented:
    """Some returns as every client sees them, plus everything ShipBob's shape needs beyond them."""

    views: list[ReturnView]
    numbers: dict[NumberKind, dict[str, int]]
    products: dict[str, Product]
    channel_number: int
    total: int = 0
    shipment_tracking: dict[str, str] = field(default_factory=dict)


@dataclass
class ChannelInfo:
    number: int
    name: str


def _merchant_id(uow: UnitOfWork) -> str:
    return uow.require_merchant()


def channel(uow: UnitOfWork) -> ChannelInfo:
    """The merchant's one channel."""
    number = numbers_of(uow, NumberKind.channel, [_merchant_id(uow)])[_merchant_id(uow)]
    name = uow.tenants.merchant(_merchant_id(uow)).name
    uow.commit()
    return ChannelInfo(number, name)


def require_channel(uow: UnitOfWork, channel_number: int) -> None:
    """The shipbob_channel_id header must name the caller's channel."""
    if resolve_numbers(uow, NumberKind.channel, [channel_number]).get(channel_number) != _merchant_id(uow):
        raise Forbidden(
            f"channel {channel_number} is not this merchant's channel", code=IntegrationErrorCode.CHANNEL_FORBIDDEN
        )


def present(uow: UnitOfWork, orders: list[ReturnOrder], total: int = 0) -> Presented:
    """The views of `orders` with a number for everything they mention, then commit (new numbers are kept)."""
    rendered = return_views(uow, orders)
    product_ids = sorted({line.product_id for o in orders for line in o.lines})
    numbers = {
        NumberKind.channel: numbers_of(uow, NumberKind.channel, [_merchant_id(uow)]),
        NumberKind.fulfillment_center: numbers_of(
            uow, NumberKind.fulfillment_center, [o.fulfillment_center_id for o in orders]
        ),
        NumberKind.product: numbers_of(uow, NumberKind.product, product_ids),
        NumberKind.return_: numbers_of(uow, NumberKind.return_, [o.id for o in orders]),
        NumberKind.shipment: numbers_of(
            uow, NumberKind.shipment, [o.original_shipment_id for o in orders if o.original_shipment_id]
        ),
    }
    products = uow.products.by_ids(product_ids)
    shipments = uow.compat_returns.shipment_tracking_numbers(sorted(numbers[NumberKind.shipment]))
    uow.commit()
    channel_number = numbers[NumberKind.channel][_merchant_id(uow)]
    return Presented(rendered, numbers, products, channel_number, total, shipments)


def _return_id(uow: UnitOfWork, number: int) -> str:
    found = resolve_numbers(uow, NumberKind.return_, [number]).get(number)
    if found is None:
        raise NotFound(f"return {number} not found", code=ReturnErrorCode.RETURN_NOT_FOUND)
    return found


def _one(resolved: dict[int, str], number: int, field_name: str, what: str) -> str:
    if number not in resolved:
        raise ValidationFailed(f"unknown {what} {number}", details=[FieldError(field_name, f"unknown {what} {number}")])
    return resolved[number]


def _translate(uow: UnitOfWork, request: NumberedReturnRequest) -> tuple[str, list[LineRequest], str | None]:
    """Our ids for the request's numbers: (fulfillment center id, lines, original shipment id)."""
    fcs = resolve_numbers(uow, NumberKind.fulfillment_center, [request.fulfillment_center_number])
    fc_id = _one(fcs, request.fulfillment_center_number, "fulfillment_center.id", "fulfillment center")
    products = resolve_numbers(uow, NumberKind.product, [line.inventory_number for line in request.lines])
    lines = [
        LineRequest(
            quantity=line.quantity,
            product_id=_one(products, line.inventory_number, f"inventory[{i}].id", "inventory id"),
            requested_action=line.requested_action,
        )
        for i, line in enumerate(request.lines)
    ]
    shipment_id = None
    if request.original_shipment_number is not None:
        shipments = resolve_numbers(uow, NumberKind.shipment, [request.original_shipment_number])
        shipment_id = _one(shipments, request.original_shipment_number, "original_shipment_id", "shipment")
    return fc_id, lines, shipment_id


def create(uow: UnitOfWork, request: NumberedReturnRequest) -> Presented:
    """Create a return from a ShipBob-shaped request: our create_return with ShipBob's numbers translated."""
    fc_id, lines, shipment_id = _translate(uow, request)
    order = returns.create_return(
        uow,
        reference_id=request.reference_id,
        fulfillment_center_id=fc_id,
        lines=lines,
        channel=Channel.API,
        tracking_number=request.tracking_number,
        original_shipment_id=shipment_id,
    )
    return present(uow, [order])


def get(uow: UnitOfWork, number: int) -> Presented:
    return present(uow, [uow.returns.get(_return_id(uow, number))])


def edit(uow: UnitOfWork, number: int, request: NumberedReturnRequest) -> Presented:
    """Replace a return from a ShipBob-shaped request: reference, tracking number, shipment and lines."""
    order = uow.returns.get(_return_id(uow, number))
    fc_id, lines, shipment_id = _translate(uow, request)
    changes: dict[str, str | None] = {
        "reference_id": request.reference_id,
        "tracking_number": request.tracking_number,
        "original_shipment_id": shipment_id,
    }
    if fc_id != order.fulfillment_center_id:
        changes["fulfillment_center_id"] = fc_id  # the domain refuses this edit, as our own API does
    returns.edit_return(uow, return_id=order.id, changes=changes, lines=lines)
    return present(uow, [order])


def cancel(uow: UnitOfWork, number: int) -> None:
    returns.cancel_return(uow, return_id=_return_id(uow, number))


# filter fields that ShipBob gives as numbers, and what they number
NUMBERED_FILTERS = {
    "ids": NumberKind.return_,
    "fulfillment_center_ids": NumberKind.fulfillment_center,
    "original_shipment_ids": NumberKind.shipment,
    "product_ids": NumberKind.product,
}


def list_returns(
    uow: UnitOfWork, filters: CompatReturnFilters, numbered: dict[str, list[int]], offset: int, limit: int
) -> Presented:
    """ShipBob-shaped returns page: `numbered` holds the number filters; unknown numbers match nothing."""
    for name, values in numbered.items():
        setattr(filters, name, list(resolve_numbers(uow, NUMBERED_FILTERS[name], values).values()))
    page = uow.compat_returns.list_page(filters, offset, limit)
    return present(uow, page.items, page.total)


T = TypeVar("T")


@dataclass
class Numbered(Generic[T]):
    number: int
    item: T


def locations(uow: UnitOfWork) -> list[Numbered[FulfillmentCenter]]:
    """Every fulfillment center with its number (a ShipBob client needs them to create returns)."""
    fcs = uow.tenants.fulfillment_centers()
    numbers = numbers_of(uow, NumberKind.fulfillment_center, [fc.id for fc in fcs])
    uow.commit()
    return [Numbered(numbers[fc.id], fc) for fc in fcs]


def inventory(uow: UnitOfWork, search: str | None, skip: int, limit: int) -> list[Numbered[Product]]:
    """The merchant's products (sku/name/barcode search as in our API) with their inventory numbers."""
    found: list[Product] = []
    cursor: str | None = None
    while len(found) < skip + limit:
        page = uow.products.list(ProductFilters(q=search), cursor, 200)
        found += page.items
        cursor = page.next_cursor
        if cursor is None:
            break
    chosen = found[skip : skip + limit]
    numbers = numbers_of(uow, NumberKind.product, [p.id for p in chosen])
    uow.commit()
    return [Numbered(numbers[p.id], p) for p in chosen]
