"""The disposition decision: what happens to the units of one inspected return line.

`decide_disposition` is DESIGN.md's decision table, row by row; the first row that applies wins.
It is never chosen by the operator: the operator records facts (an `Inspection`), the domain decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from boomerang.domain.error_codes import ReturnErrorCode
from boomerang.domain.errors import Conflict, FieldError, InvalidTransition, ValidationFailed
from boomerang.domain.products import Action, Product
from boomerang.domain.returns import (
    TRANSITIONS,
    ActionReason,
    ActionTaken,
    Inspection,
    ReturnLine,
    ReturnOrder,
    ReturnType,
    TakenAction,
)

MAX_LOT_NUMBER_LENGTH = 100
MAX_CONDITION_NOTE_LENGTH = 1000
MAX_PHOTOS_PER_LINE = 20


def chosen_action(product: Product, return_type: ReturnType, override: Action | None) -> Action:
    """The line's override, else the product's preference for this kind of return."""
    if override is not None:
        return override
    if return_type is ReturnType.ReturnToSender:
        return product.preferences.rts_action
    return product.preferences.return_action


def fails_shelf_life(product: Product, expiration_date: date | None, receipt_date: date) -> bool:
    """Expired, or fewer than `minimum_shelf_life_days` left at receipt (exactly the minimum is enough)."""
    if expiration_date is None:
        return False
    return expiration_date < receipt_date + timedelta(days=product.minimum_shelf_life_days)


def lot_unverified(inspection: Inspection) -> bool:
    return not inspection.lot_number or inspection.expiration_date is None or not inspection.photo_ids


def _decide_received(
    product: Product, chosen: Action, inspection: Inspection, receipt_date: date
) -> tuple[TakenAction, ActionReason]:
    backup = TakenAction.of(product.preferences.backup_action)
    if product.is_ineligible:  # row 1
        return TakenAction.Dispose, ActionReason.IneligibleCategory
    if chosen is not Action.Restock:  # row 2
        return TakenAction.of(chosen), ActionReason.MerchantPreference
    if not all(inspection.step_results):  # row 3
        return backup, ActionReason.FailedInspection
    if inspection.instructions_unclear:  # row 4
        return backup, ActionReason.UnclearInstructions
    if product.is_lot_tracked and fails_shelf_life(product, inspection.expiration_date, receipt_date):  # row 5
        return backup, ActionReason.ShelfLife
    if product.is_lot_tracked and lot_unverified(inspection):  # row 6
        return backup, ActionReason.LotUnverified
    return TakenAction.Restock, ActionReason.MerchantPreference  # row 7


def decide_disposition(
    *,
    product: Product,
    return_type: ReturnType,
    override: Action | None,
    quantity: int,
    inspection: Inspection,
    receipt_date: date,
) -> list[ActionTaken]:
    """The actions for one line: the received units by the decision table, the rest Missing."""
    actions: list[ActionTaken] = []
    received = inspection.quantity_received
    if received > 0:
        action, reason = _decide_received(
            product, chosen_action(product, return_type, override), inspection, receipt_date
        )
        actions.append(
            ActionTaken(
                action=action,
                action_reason=reason,
                quantity_processed=received,
                lot_number=inspection.lot_number,
                expiration_date=inspection.expiration_date,
                photo_ids=tuple(inspection.photo_ids),
            )
        )
    if quantity - received > 0:
        actions.append(ActionTaken(TakenAction.Missing, ActionReason.NotReceived, quantity - received))
    return actions


@dataclass(frozen=True)
class ExpectedDisposition:
    """What will happen to a line's units if every one arrives and passes inspection."""

    action: TakenAction
    reason: ActionReason


def _flawless_inspection(product: Product) -> Inspection:
    """Every unit arrives, every step passes, the instructions are clear, the lot is documented and fresh."""
    return Inspection(
        quantity_received=1,
        step_results=(True,) * len(product.preferences.inspection_steps),
        lot_number="expected",
        expiration_date=date.max,
        photo_ids=("expected",),
    )


def expected_disposition(product: Product, return_type: ReturnType, override: Action | None) -> ExpectedDisposition:
    """The decision table's answer for a flawless arrival: what a merchant can expect before the package ships."""
    (decided,) = decide_disposition(
        product=product,
        return_type=return_type,
        override=override,
        quantity=1,
        inspection=_flawless_inspection(product),
        receipt_date=date.min,  # with a lot that never expires, the receipt date changes nothing
    )
    return ExpectedDisposition(decided.action, decided.action_reason)


def expected_line(order: ReturnOrder, line: ReturnLine, product: Product) -> ExpectedDisposition:
    return expected_disposition(product, order.return_type, line.override)


def decide_line(order: ReturnOrder, line: ReturnLine, product: Product, inspection: Inspection) -> list[ActionTaken]:
    """The decision for one line of `order`, on the date the package arrived."""
    receipt = order.arrived_date.date() if order.arrived_date else order.insert_date.date()
    return decide_disposition(
        product=product,
        return_type=order.return_type,
        override=line.override,
        quantity=line.quantity,
        inspection=inspection,
        receipt_date=receipt,
    )


def decide_return(order: ReturnOrder, products: dict[str, Product]) -> dict[str, list[ActionTaken]]:
    """Decisions for every line of a return about to complete; every line needs an inspection."""
    if (order.status, "complete") not in TRANSITIONS:
        raise InvalidTransition(f"cannot complete a return that is {order.status}")
    missing = [line.sku for line in order.lines if line.inspection is None]
    if missing:
        raise Conflict(f"lines without an inspection: {', '.join(missing)}", code=ReturnErrorCode.INSPECTION_MISSING)
    return {
        line.id: decide_line(order, line, products[line.product_id], line.inspection)
        for line in order.lines
        if line.inspection is not None
    }


def validate_inspection(product: Product, line: ReturnLine, inspection: Inspection) -> None:
    """The facts must fit the line: 0..quantity received, one result per step, lot data only for lots."""
    errors: list[FieldError] = []
    if not 0 <= inspection.quantity_received <= line.quantity:
        errors.append(FieldError("quantity_received", f"quantity_received is 0 to {line.quantity}"))
    steps = len(product.preferences.inspection_steps)
    if len(inspection.step_results) != steps:
        errors.append(FieldError("step_results", f"give one result per inspection step ({steps})"))
    if not product.is_lot_tracked:
        if inspection.lot_number is not None:
            errors.append(FieldError("lot_number", "the product is not lot-tracked"))
        if inspection.expiration_date is not None:
            errors.append(FieldError("expiration_date", "the product is not lot-tracked"))
    if inspection.lot_number is not None and not 1 <= len(inspection.lot_number.strip()) <= MAX_LOT_NUMBER_LENGTH:
        errors.append(FieldError("lot_number", f"lot_number is 1 to {MAX_LOT_NUMBER_LENGTH} characters"))
    if inspection.condition_note is not None and len(inspection.condition_note) > MAX_CONDITION_NOTE_LENGTH:
        errors.append(FieldError("condition_note", f"at most {MAX_CONDITION_NOTE_LENGTH} characters"))
    if len(inspection.photo_ids) > MAX_PHOTOS_PER_LINE:
        errors.append(FieldError("photo_ids", f"at most {MAX_PHOTOS_PER_LINE} photos per line"))
    if len(set(inspection.photo_ids)) != len(inspection.photo_ids):
        errors.append(FieldError("photo_ids", "each photo at most once"))
    if errors:
        raise ValidationFailed("the inspection does not fit the line", details=errors)
