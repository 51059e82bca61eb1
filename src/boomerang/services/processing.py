"""Processing: start, inspect each line (with a preview of the decision), complete into the ledger."""

from __future__ import annotations

from boomerang.domain.disposition import decide_line, decide_return, expected_line, validate_inspection
from boomerang.domain.error_codes import ReturnErrorCode
from boomerang.domain.errors import FieldError, ValidationFailed
from boomerang.domain.ids import new_id
from boomerang.domain.inventory import Bucket, LedgerEntry
from boomerang.domain.returns import ActionTaken, Inspection, ReturnLine, ReturnOrder, TakenAction
from boomerang.services.read_models.returns import LineView, ReturnView, return_view
from boomerang.services.returns import check_expected_version
from boomerang.services.unit_of_work import UnitOfWork

BUCKET_OF_ACTION = {
    TakenAction.Restock: Bucket.Sellable,
    TakenAction.Quarantine: Bucket.Quarantine,
    TakenAction.Dispose: Bucket.Disposed,
}


def start_processing(uow: UnitOfWork, *, return_id: str, expected_versions: frozenset[int] | None = None) -> ReturnView:
    """Arrived -> Processing."""
    order = uow.returns.get(return_id, for_update=True)
    check_expected_version(order, expected_versions)
    order.start_processing(uow.principal.actor, uow.now)
    uow.commit()
    return return_view(uow, order)


def record_inspection(uow: UnitOfWork, *, return_id: str, line_id: str, inspection: Inspection) -> LineView:
    """The operator's facts for one line; answers the line with a preview of the decision."""
    order = uow.returns.get(return_id, for_update=True)
    line, preview = inspect_line(uow, order, line_id, inspection)
    product = uow.products.of_lines([line.product_id])[line.product_id]
    uow.commit()
    return LineView(line, expected_line(order, line, product), preview)


def inspect_line(
    uow: UnitOfWork, order: ReturnOrder, line_id: str, inspection: Inspection
) -> tuple[ReturnLine, list[ActionTaken]]:
    """Record one line's facts on a locked return (checked against its product) and preview the decision."""
    line = order.record_inspection(line_id, inspection)
    # every line's product in one query: the answer and the webhook render all of them
    product = uow.products.of_lines([each.product_id for each in order.lines])[line.product_id]
    validate_inspection(product, line, inspection)
    unknown = set(inspection.photo_ids) - uow.photos.photo_ids_of_return(order.id, list(inspection.photo_ids))
    if unknown:
        raise ValidationFailed(
            "photos must be uploaded to this return first",
            code=ReturnErrorCode.UNKNOWN_PHOTO,
            details=[FieldError("photo_ids", f"unknown photo {photo_id}") for photo_id in sorted(unknown)],
        )
    return line, decide_line(order, line, product, inspection)


def ledger_entries_for(
    order: ReturnOrder, decisions: dict[str, list[ActionTaken]], originator: str
) -> list[LedgerEntry]:
    """One entry per restocked, quarantined or disposed action of each line; Missing units move nothing."""
    entries = []
    for line in order.lines:
        for action in decisions[line.id]:
            if action.action not in BUCKET_OF_ACTION:
                continue
            entries.append(
                LedgerEntry(
                    id=new_id("led"),
                    merchant_id=order.merchant_id,
                    product_id=line.product_id,
                    fulfillment_center_id=order.fulfillment_center_id,
                    bucket=BUCKET_OF_ACTION[action.action],
                    quantity=action.quantity_processed,
                    reason=action.action_reason.value,
                    originator=originator,
                    created_at=order.completed_date or order.insert_date,
                    lot_number=action.lot_number,
                    expiration_date=action.expiration_date,
                    return_id=order.id,
                )
            )
    return entries


def complete_return(uow: UnitOfWork, *, return_id: str, expected_versions: frozenset[int] | None = None) -> ReturnView:
    """Processing -> Completed: decisions, actions_taken and ledger entries in one transaction."""
    order = uow.returns.get(return_id, for_update=True)
    check_expected_version(order, expected_versions)
    complete_locked(uow, order)
    uow.commit()
    return return_view(uow, order)


def complete_locked(uow: UnitOfWork, order: ReturnOrder) -> None:
    """Decide every line of a locked return, record actions_taken and write the ledger; the caller commits."""
    products = uow.products.of_lines([line.product_id for line in order.lines])
    decisions = decide_return(order, products)
    order.complete(uow.principal.actor, uow.now, decisions)
    uow.ledger.add(ledger_entries_for(order, decisions, uow.principal.actor))
