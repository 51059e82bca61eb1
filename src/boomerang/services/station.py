"""The operator station's use cases and read models: the queue, a return to process, the live decision,
completion of a whole return from one form, and the receipts of this shift.

Everything here speaks the domain (ReturnOrder, Product, ActionTaken) or small frozen read models; the
pages render them. The decision shown while the operator types comes from `decide_line`, the same
function completion uses.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from boomerang.domain.disposition import decide_line, validate_inspection
from boomerang.domain.error_codes import CommonErrorCode, ReturnErrorCode
from boomerang.domain.errors import Conflict, FieldError, PreconditionFailed, ValidationFailed
from boomerang.domain.products import Product
from boomerang.domain.returns import ActionTaken, Inspection, ReturnOrder, ReturnStatus
from boomerang.domain.service_levels import TargetState, business_days_between, target_state
from boomerang.domain.shipments import ReceiptOutcome
from boomerang.domain.work_orders import WorkOrder, WorkOrderStatus
from boomerang.services import photos, processing
from boomerang.services.queries import WorkOrderFilters
from boomerang.services.receiving import operator_fc
from boomerang.services.unit_of_work import UnitOfWork

QUEUE_LIMIT = 200
SHIFT = timedelta(hours=12)


@dataclass(frozen=True)
class QueueEntry:
    """A return waiting at the FC, with how long it has waited against the 10-business-day target."""

    order: ReturnOrder
    age_business_days: int
    target: TargetState


def waiting_age(since: datetime | None, today: date) -> tuple[int, TargetState]:
    age = business_days_between(since.date(), today) if since else 0
    return age, target_state(age)


def processing_queue(uow: UnitOfWork, *, fulfillment_center_id: str) -> list[QueueEntry]:
    """Arrived and Processing returns at the FC, oldest arrival first."""
    fc = operator_fc(uow, fulfillment_center_id)
    entries = []
    for order in uow.returns.processing_queue(fc.id, QUEUE_LIMIT):
        age, target = waiting_age(order.arrived_date, uow.now.date())
        entries.append(QueueEntry(order, age, target))
    return entries


@dataclass(frozen=True)
class ReturnToProcess:
    """A return with the products of its lines (steps, lot tracking) and the photos already taken."""

    order: ReturnOrder
    products: dict[str, Product]
    photo_ids: tuple[str, ...]


def return_to_process(uow: UnitOfWork, *, return_id: str) -> ReturnToProcess:
    order = uow.returns.get(return_id)
    products = uow.products.of_lines([line.product_id for line in order.lines])
    return ReturnToProcess(order, products, tuple(sorted(uow.photos.photo_ids_for_return(order.id))))


def open_for_processing(uow: UnitOfWork, *, return_id: str) -> ReturnOrder:
    """Enter on a received return: Arrived -> Processing; a return already being processed just opens."""
    order = uow.returns.get(return_id, for_update=True)
    if order.status is ReturnStatus.Arrived:
        order.start_processing(uow.principal.actor, uow.now)
        uow.commit()
    elif order.status is not ReturnStatus.Processing:
        raise Conflict(
            f"return {order.reference_id} is {order.status}; there is nothing to process",
            code=ReturnErrorCode.NOT_PROCESSABLE,
        )
    return order


@dataclass(frozen=True)
class LineFacts:
    """What the operator has entered for one line so far; a step may still be unanswered (None)."""

    quantity_received: int
    step_answers: tuple[bool | None, ...] = ()
    instructions_unclear: bool = False
    lot_number: str | None = None
    expiration_date: date | None = None
    photo_ids: tuple[str, ...] = ()
    condition_note: str | None = None

    def inspection(self, unanswered_as: bool = True) -> Inspection:
        return Inspection(
            quantity_received=self.quantity_received,
            step_results=tuple(unanswered_as if a is None else a for a in self.step_answers),
            instructions_unclear=self.instructions_unclear,
            lot_number=self.lot_number,
            expiration_date=self.expiration_date,
            photo_ids=self.photo_ids,
            condition_note=self.condition_note,
        )

    @property
    def unanswered_steps(self) -> list[int]:
        return [n for n, answer in enumerate(self.step_answers, start=1) if answer is None]


@dataclass(frozen=True)
class LinePreview:
    """The decision the domain gives for the facts so far; `actions` is empty while it still depends on
    an unanswered step, and `problems` lists facts that do not fit the line."""

    line_id: str
    actions: tuple[ActionTaken, ...]
    unanswered_steps: tuple[int, ...] = ()
    problems: tuple[FieldError, ...] = ()


def preview_line(uow: UnitOfWork, *, return_id: str, line_id: str, facts: LineFacts) -> LinePreview:
    """The decision for one line from facts not yet saved: `decide_line`, exactly as completion calls it."""
    order = uow.returns.get(return_id)
    line = order.line(line_id)
    product = uow.products.of_lines([line.product_id])[line.product_id]
    try:
        validate_inspection(product, line, facts.inspection())
    except ValidationFailed as error:
        return LinePreview(line.id, (), tuple(facts.unanswered_steps), tuple(error.details))
    if_passed = decide_line(order, line, product, facts.inspection(unanswered_as=True))
    if_failed = decide_line(order, line, product, facts.inspection(unanswered_as=False))
    if facts.unanswered_steps and if_passed != if_failed:
        return LinePreview(line.id, (), tuple(facts.unanswered_steps))
    return LinePreview(line.id, tuple(if_passed), tuple(facts.unanswered_steps))


def complete_from_station(
    uow: UnitOfWork,
    *,
    return_id: str,
    version: int,
    facts: dict[str, LineFacts],
    new_photos: dict[str, list[bytes]],
) -> ReturnOrder:
    """The process form in one transaction: photos, every line's inspection, completion. Any problem
    (a stale page, another operator first, an unanswered step) leaves everything as it was."""
    # Decode the photos before taking the return's lock (decoding is slow and memory-hungry).
    checked = {
        line_id: [(data, photos.check_photo(data, uow)) for data in datas] for line_id, datas in new_photos.items()
    }
    order = uow.returns.get(return_id, for_update=True)
    _require_current(order, version)
    if order.status is ReturnStatus.Arrived:
        order.start_processing(uow.principal.actor, uow.now)
    errors = [
        FieldError(f"{line.id}.steps", f"{line.sku}: answer step {', '.join(map(str, f.unanswered_steps))}")
        for line in order.lines
        if (f := facts.get(line.id)) is not None and f.unanswered_steps
    ]
    errors += [FieldError(line.id, f"{line.sku}: no facts entered") for line in order.lines if line.id not in facts]
    if errors:
        raise ValidationFailed(
            "answer every inspection step before completing", code=ReturnErrorCode.INSPECTION_MISSING, details=errors
        )
    for line in order.lines:
        taken = [
            photos.store_photo(
                uow,
                data,
                kind,
                fulfillment_center_id=order.fulfillment_center_id,
                merchant_id=order.merchant_id,
                return_id=order.id,
            ).id
            for data, kind in checked.get(line.id, [])
        ]
        line_facts = replace(facts[line.id], photo_ids=(*facts[line.id].photo_ids, *taken))
        try:
            processing.inspect_line(uow, order, line.id, line_facts.inspection())
        except ValidationFailed as error:
            details = [FieldError(f"{line.id}.{d.field}", f"{line.sku}: {d.message}") for d in error.details]
            raise ValidationFailed(error.message, code=error.code, details=details) from error
    processing.complete_locked(uow, order)
    uow.commit()
    return order


def _require_current(order: ReturnOrder, version: int) -> None:
    """Another operator's completion, or any change since the page was drawn, stops the submission."""
    if order.status is ReturnStatus.Completed:
        last = order.status_history[-1]
        raise Conflict(
            f"return {order.reference_id} was already completed by {last.actor} at "
            f"{last.timestamp:%H:%M} UTC; nothing you entered was saved",
            code=ReturnErrorCode.ALREADY_COMPLETED,
        )
    if order.status not in (ReturnStatus.Arrived, ReturnStatus.Processing):
        raise Conflict(
            f"return {order.reference_id} is {order.status}; it cannot be processed",
            code=ReturnErrorCode.NOT_PROCESSABLE,
        )
    if order.version != version:
        raise PreconditionFailed(
            f"return {order.reference_id} changed since this page was opened (someone else recorded an "
            "inspection); nothing you entered was saved",
            code=CommonErrorCode.PRECONDITION_FAILED,
        )


@dataclass(frozen=True)
class ShiftReceipt:
    """One of this operator's recent scans at the FC."""

    scanned: str
    outcome: ReceiptOutcome
    return_id: str | None
    reference_id: str | None
    received_at: datetime


def shift_receipts(uow: UnitOfWork, *, fulfillment_center_id: str, limit: int = 30) -> list[ShiftReceipt]:
    """The operator's scans at this FC in the last 12 hours, newest first."""
    fc = operator_fc(uow, fulfillment_center_id)
    rows = uow.receipts.receipts_by(uow.principal.actor, fc.id, uow.now - SHIFT, limit)
    return [
        ShiftReceipt(row.scanned, ReceiptOutcome(row.outcome), row.return_id, row.reference_id, row.created_at)
        for row in rows
    ]


@dataclass(frozen=True)
class OpenWorkOrder:
    work_order: WorkOrder
    products: dict[str, Product]


def open_work_orders(uow: UnitOfWork, *, fulfillment_center_id: str) -> list[OpenWorkOrder]:
    """Open Disposal and removal work orders at the FC, the oldest first."""
    fc = operator_fc(uow, fulfillment_center_id)
    filters = WorkOrderFilters(status=WorkOrderStatus.Open, fulfillment_center_id=fc.id)
    orders = list(reversed(uow.work_orders.list(filters, None, QUEUE_LIMIT).items))
    products = uow.products.of_lines([item.product_id for wo in orders for item in wo.items])
    return [OpenWorkOrder(wo, products) for wo in orders]
