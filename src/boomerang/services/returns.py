"""Return orders: create, read, edit, cancel and list."""

from __future__ import annotations

from dataclasses import dataclass

from boomerang.domain.disposition import ExpectedDisposition
from boomerang.domain.error_codes import CommonErrorCode, ProductErrorCode, ReturnErrorCode
from boomerang.domain.errors import (
    Conflict,
    FieldError,
    PreconditionFailed,
    ValidationFailed,
)
from boomerang.domain.ids import new_id
from boomerang.domain.products import Product
from boomerang.domain.return_rules import require_own_shipment, require_unused_tracking_number
from boomerang.domain.return_warnings import ReturnWarning, return_warnings
from boomerang.domain.returns import (
    Channel,
    LineSpec,
    RequestedAction,
    ReturnOrder,
    ReturnType,
    StatusChange,
)
from boomerang.services.lookups import known_fulfillment_center
from boomerang.services.queries import Page, ReturnFilters
from boomerang.services.read_models.returns import ReturnView, expected_lines, return_view, return_views
from boomerang.services.unit_of_work import UnitOfWork


@dataclass
class LineRequest:
    """A line as a client sends it: by product id or by SKU."""

    quantity: int
    product_id: str | None = None
    sku: str | None = None
    requested_action: RequestedAction = RequestedAction.Default
    reason: str | None = None


def resolve_lines(
    uow: UnitOfWork, merchant_id: str, requests: list[LineRequest], field: str = "inventory"
) -> list[LineSpec]:
    """Turn requested lines into specs, reporting every unknown product at once."""
    by_id = uow.products.by_ids([r.product_id for r in requests if r.product_id])
    by_sku = uow.products.by_skus(merchant_id, [r.sku for r in requests if r.sku and not r.product_id])
    errors: list[FieldError] = []
    specs = []
    for i, request in enumerate(requests):
        product: Product | None
        if request.product_id:
            product = by_id.get(request.product_id)
        elif request.sku:
            product = by_sku.get(request.sku)
        else:
            errors.append(FieldError(f"{field}[{i}]", "give product_id or sku"))
            continue
        if product is None or product.merchant_id != merchant_id:
            errors.append(FieldError(f"{field}[{i}]", f"unknown product {request.product_id or request.sku}"))
            continue
        specs.append(
            LineSpec(product.id, product.sku, product.name, request.quantity, request.requested_action, request.reason)
        )
    if errors:
        raise ValidationFailed("unknown products", code=ProductErrorCode.UNKNOWN_PRODUCT, details=errors)
    return specs


def require_tracking_number_free(uow: UnitOfWork, order: ReturnOrder, tracking_number: str | None) -> None:
    """One return per package: no other live return of the merchant may carry `tracking_number`."""
    if tracking_number:
        used_by = uow.returns.live_return_with_tracking_number(order.merchant_id, tracking_number, order.id)
        require_unused_tracking_number(tracking_number, used_by)


def require_merchants_shipment(uow: UnitOfWork, merchant_id: str, shipment_id: str | None) -> None:
    """`original_shipment_id` names one of the merchant's own shipments (422 alike for unknown and foreign)."""
    if shipment_id is not None:
        require_own_shipment(shipment_id, merchant_id, uow.shipments.merchant_of(shipment_id))


def create_return(
    uow: UnitOfWork,
    *,
    reference_id: str,
    fulfillment_center_id: str,
    lines: list[LineRequest],
    channel: Channel = Channel.API,
    return_type: ReturnType = ReturnType.Regular,
    **details: str | None,
) -> ReturnOrder:
    """A new return awaiting arrival (does not commit: callers add their own steps)."""
    merchant_id = uow.require_merchant()
    known_fulfillment_center(uow, fulfillment_center_id, merchant_id=merchant_id)
    specs = resolve_lines(uow, merchant_id, lines)
    order = ReturnOrder.create(
        id=new_id("ret"),
        merchant_id=merchant_id,
        fulfillment_center_id=fulfillment_center_id,
        reference_id=reference_id,
        return_type=return_type,
        channel=channel,
        lines=specs,
        line_ids=[new_id("rl") for _ in specs],
        actor=uow.principal.actor,
        now=uow.now,
        **details,
    )
    require_merchants_shipment(uow, merchant_id, order.original_shipment_id)
    if uow.returns.reference_in_use(merchant_id, reference_id):
        raise Conflict(f"reference_id {reference_id} is already used", code=ReturnErrorCode.DUPLICATE_REFERENCE_ID)
    require_tracking_number_free(uow, order, order.tracking_number)
    uow.returns.add(order)
    return order


def create_return_and_commit(
    uow: UnitOfWork,
    *,
    reference_id: str,
    fulfillment_center_id: str,
    lines: list[LineRequest],
    channel: Channel = Channel.API,
    return_type: ReturnType = ReturnType.Regular,
    **details: str | None,
) -> ReturnView:
    """Create a return awaiting arrival, its lines resolved to the merchant's products."""
    order = create_return(
        uow,
        reference_id=reference_id,
        fulfillment_center_id=fulfillment_center_id,
        lines=lines,
        channel=channel,
        return_type=return_type,
        **details,
    )
    uow.commit()
    return return_view(uow, order)


def get_return(uow: UnitOfWork, *, return_id: str) -> ReturnView:
    return return_view(uow, uow.returns.get(return_id))


def check_expected_version(order: ReturnOrder, expected_versions: frozenset[int] | None) -> None:
    """A caller expecting other versions is refused (412); None means last-writer-serialized."""
    if expected_versions is not None and order.version not in expected_versions:
        raise PreconditionFailed(f"the return is at version {order.version}", code=CommonErrorCode.PRECONDITION_FAILED)


def edit_return(
    uow: UnitOfWork,
    *,
    return_id: str,
    changes: dict[str, str | None],
    lines: list[LineRequest] | None,
    expected_versions: frozenset[int] | None = None,
) -> ReturnView:
    """Edit a return: only while AwaitingArrival."""
    order = uow.returns.get(return_id, for_update=True)
    check_expected_version(order, expected_versions)
    order.require_editable()
    specs = resolve_lines(uow, order.merchant_id, lines) if lines is not None else None
    if changes.get("original_shipment_id") not in (None, order.original_shipment_id):
        require_merchants_shipment(uow, order.merchant_id, changes["original_shipment_id"])
    new_reference = changes.get("reference_id")
    if (
        new_reference
        and new_reference != order.reference_id
        and uow.returns.reference_in_use(order.merchant_id, new_reference, order.id)
    ):
        raise Conflict(f"reference_id {new_reference} is already used", code=ReturnErrorCode.DUPLICATE_REFERENCE_ID)
    if changes.get("tracking_number") not in (None, order.tracking_number):
        require_tracking_number_free(uow, order, changes["tracking_number"])
    order.edit(changes, specs, [new_id("rl") for _ in specs or []])
    uow.commit()
    return return_view(uow, order)


def expected_dispositions(uow: UnitOfWork, *, return_id: str) -> dict[str, ExpectedDisposition]:
    """What happens to each line (by line id) if every unit arrives and passes inspection."""
    order = uow.returns.get(return_id)
    return expected_lines(order, uow.products.of_lines([line.product_id for line in order.lines]))


def warnings_of(uow: UnitOfWork, *, return_id: str) -> list[ReturnWarning]:
    """The return's warnings, computed now from its lines and their products (never blocking)."""
    order = uow.returns.get(return_id)
    return return_warnings(order, uow.products.of_lines([line.product_id for line in order.lines]))


def cancel_return(uow: UnitOfWork, *, return_id: str, expected_versions: frozenset[int] | None = None) -> ReturnView:
    """AwaitingArrival -> Cancelled."""
    order = uow.returns.get(return_id, for_update=True)
    check_expected_version(order, expected_versions)
    order.cancel(uow.principal.actor, uow.now)
    uow.commit()
    return return_view(uow, order)


def status_history(uow: UnitOfWork, *, return_id: str) -> list[StatusChange]:
    """Every status the return went through, oldest first."""
    return list(uow.returns.get(return_id).status_history)


def list_returns(uow: UnitOfWork, *, filters: ReturnFilters, cursor: str | None, limit: int) -> Page[ReturnView]:
    page = uow.returns.list(filters, cursor, limit)
    return Page(return_views(uow, page.items), page.next_cursor)
