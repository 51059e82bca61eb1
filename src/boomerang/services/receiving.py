"""Receiving: a package scanned at the dock becomes an arrived return (found or built) or an unidentified one."""

from __future__ import annotations

from dataclasses import dataclass, field

from boomerang.domain.billing import TransactionType
from boomerang.domain.error_codes import WarehouseErrorCode
from boomerang.domain.errors import Conflict, NotFound, ValidationFailed
from boomerang.domain.events import Topic
from boomerang.domain.ids import new_id
from boomerang.domain.queries import Page
from boomerang.domain.returns import Channel, ReturnOrder, ReturnStatus, ReturnType
from boomerang.domain.shipments import ReceiptOutcome, Shipment, UnidentifiedPackage
from boomerang.domain.tenants import FulfillmentCenter
from boomerang.services import fees
from boomerang.services.read_models.warehouse import ResolvedPackage
from boomerang.services.unit_of_work import UnitOfWork


@dataclass
class ScanMatch:
    """What a scan found at one FC: live returns (rule 1, or rule 2 via their shipment) and bare shipments."""

    returns: list[ReturnOrder] = field(default_factory=list)
    shipments: list[Shipment] = field(default_factory=list)

    @property
    def merchant_ids(self) -> set[str]:
        return {r.merchant_id for r in self.returns} | {s.merchant_id for s in self.shipments}


def operator_fc(uow: UnitOfWork, fc_id: str) -> FulfillmentCenter:
    """The FC if the operator works there; any other FC is a 404 (never reveal it)."""
    if fc_id not in uow.principal.fulfillment_center_ids:
        raise NotFound(f"fulfillment center {fc_id} not found", code=WarehouseErrorCode.FULFILLMENT_CENTER_NOT_FOUND)
    return uow.tenants.fulfillment_center(fc_id)


def _match(uow: UnitOfWork, fc_id: str, scanned: str, *, children: bool = True) -> ScanMatch:
    """What `scanned` matches; without `children`, the returns found by the scan itself come without their
    lines, history and tracking events, read only if touched (`_arrive` reads the one received, locked)."""
    found = uow.receipts.returns_matching_scan(fc_id, scanned, children=children)
    live = [o for o in found if o.status is not ReturnStatus.Cancelled]
    match = ScanMatch(returns=live)
    for shipment in uow.shipments.at_fc_by_tracking(fc_id, scanned):
        known = uow.receipts.live_returns_for_shipment(shipment)
        if known:
            match.returns += [o for o in known if o.id not in {r.id for r in match.returns}]
        else:
            match.shipments.append(shipment)
    return match


def charge_arrival_fees(uow: UnitOfWork, order: ReturnOrder, fc: FulfillmentCenter) -> None:
    """Regular: the processing fee. Domestic RTS: the outbound label cost. International RTS: nothing."""
    if order.return_type is ReturnType.Regular:
        amount = fees.fee_schedule(uow, order.merchant_id).return_processing_fee
        kind = TransactionType.ReturnProcessingFee
    else:
        shipment = uow.shipments.get(order.original_shipment_id) if order.original_shipment_id else None
        if shipment is None or not shipment.is_domestic_for(fc.country):
            return
        amount, kind = shipment.label_cost, TransactionType.ReturnToSenderFee
    fees.charge(
        uow,
        merchant_id=order.merchant_id,
        transaction_type=kind,
        amount=amount,
        return_id=order.id,
        dedup_key=f"arrival:{order.id}",
    )


def _arrive(uow: UnitOfWork, return_id: str, fc: FulfillmentCenter) -> ReturnOrder:
    """Lock the return, then AwaitingArrival -> Arrived (a second scan finds it arrived: 409)."""
    order = uow.returns.get(return_id, for_update=True)
    order.receive(uow.principal.actor, uow.now)
    charge_arrival_fees(uow, order, fc)
    return order


def _pick(returns: list[ReturnOrder]) -> ReturnOrder | None:
    """One merchant's matches: the single one, or the single one still awaiting arrival."""
    awaiting = [r for r in returns if r.status is ReturnStatus.AwaitingArrival]
    if len(returns) == 1 or len(awaiting) == 0:
        return returns[0]
    return awaiting[0] if len(awaiting) == 1 else None


def _free_tracking_number(uow: UnitOfWork, shipment: Shipment) -> str | None:
    """The shipment's tracking number for the return built from it, unless another live return of the
    merchant (at another FC) holds it: one return per package, and the dock never refuses a package for it
    (the new return is still found through its shipment)."""
    if uow.returns.live_return_with_tracking_number(shipment.merchant_id, shipment.tracking_number) is not None:
        return None
    return shipment.tracking_number


def _from_shipment(uow: UnitOfWork, shipment: Shipment, fc: FulfillmentCenter) -> tuple[ReceiptOutcome, ReturnOrder]:
    """Rule 2: the shipment's return if one exists, else a new RTS or Regular return with its items."""
    shipment = uow.shipments.get(shipment.id, for_update=True)  # one builder per shipment
    existing = uow.receipts.live_returns_for_shipment(shipment)
    if existing:
        return ReceiptOutcome.Matched, _arrive(uow, existing[0].id, fc)
    rts = shipment.rts_scanned
    lines = shipment.return_lines()
    order = ReturnOrder.create(
        id=new_id("ret"),
        merchant_id=shipment.merchant_id,
        fulfillment_center_id=fc.id,
        reference_id=shipment.return_reference(rts),
        return_type=ReturnType.ReturnToSender if rts else ReturnType.Regular,
        channel=Channel.Carrier if rts else Channel.Warehouse,
        lines=lines,
        line_ids=[new_id("rl") for _ in lines],
        actor=uow.principal.actor,
        now=uow.now,
        customer_name=shipment.customer_name,
        original_shipment_id=shipment.id,
        store_order_id=shipment.store_order_id,
        tracking_number=_free_tracking_number(uow, shipment),
    )
    uow.returns.add(order)
    uow.flush()
    order.receive(uow.principal.actor, uow.now)
    charge_arrival_fees(uow, order, fc)
    return (ReceiptOutcome.RtsCreated if rts else ReceiptOutcome.RegularCreated), order


def _unidentified(uow: UnitOfWork, fc: FulfillmentCenter, scanned: str, note: str | None) -> UnidentifiedPackage:
    package = UnidentifiedPackage(
        id=new_id("unk"), fulfillment_center_id=fc.id, scanned=scanned, received_at=uow.now, note=note
    )
    uow.unidentified_packages.add_unidentified(package)
    return package


@dataclass(frozen=True)
class Receipt:
    """What one dock scan did: the outcome, and the return, candidates or unidentified package it concerns."""

    receipt_id: str
    scanned: str
    outcome: ReceiptOutcome
    order: ReturnOrder | None = None
    candidates: tuple[ReturnOrder | Shipment, ...] = ()
    package: UnidentifiedPackage | None = None


def receive(uow: UnitOfWork, *, fulfillment_center_id: str, scanned: str, note: str | None = None) -> Receipt:
    """A dock scan, by DESIGN.md's matching order (first rule that applies wins); commits."""
    fc = operator_fc(uow, fulfillment_center_id)
    scanned = scanned.strip()
    match = _match(uow, fc.id, scanned, children=False)
    order: ReturnOrder | None = None
    package: UnidentifiedPackage | None = None
    candidates: list[ReturnOrder | Shipment] = []
    picked = _pick(match.returns) if match.returns and len(match.merchant_ids) == 1 else None
    if len(match.merchant_ids) > 1 or (match.returns and picked is None):
        outcome, candidates = ReceiptOutcome.Ambiguous, [*match.returns, *match.shipments]
    elif picked is not None:
        outcome, order = ReceiptOutcome.Matched, _arrive(uow, picked.id, fc)
    elif match.shipments:
        outcome, order = _from_shipment(uow, match.shipments[0], fc)
    else:
        outcome, package = ReceiptOutcome.Unidentified, _unidentified(uow, fc, scanned, note)
    receipt = Receipt(new_id("rcp"), scanned, outcome, order, tuple(candidates), package)
    _record(uow, fc, receipt)
    uow.commit()
    return receipt


def receive_candidate(uow: UnitOfWork, *, fulfillment_center_id: str, scanned: str, candidate_id: str) -> Receipt:
    """After an ambiguous scan: the operator picks one of its candidates (a return or a shipment)."""
    fc = operator_fc(uow, fulfillment_center_id)
    scanned = scanned.strip()
    match = _match(uow, fc.id, scanned)
    for candidate in match.returns:
        if candidate.id == candidate_id:
            outcome, order = ReceiptOutcome.Matched, _arrive(uow, candidate.id, fc)
            break
    else:
        shipment = next((s for s in match.shipments if s.id == candidate_id), None)
        if shipment is None:
            raise NotFound(
                f"{candidate_id} is not a candidate for {scanned}", code=WarehouseErrorCode.CANDIDATE_NOT_FOUND
            )
        outcome, order = _from_shipment(uow, shipment, fc)
    receipt = Receipt(new_id("rcp"), scanned, outcome, order)
    _record(uow, fc, receipt)
    uow.commit()
    return receipt


def _record(uow: UnitOfWork, fc: FulfillmentCenter, receipt: Receipt) -> None:
    uow.receipts.add_receipt(
        id=receipt.receipt_id,
        fulfillment_center_id=fc.id,
        merchant_id=receipt.order.merchant_id if receipt.order else None,
        scanned=receipt.scanned,
        outcome=receipt.outcome.value,
        return_id=receipt.order.id if receipt.order else None,
        unidentified_package_id=receipt.package.id if receipt.package else None,
        actor=uow.principal.actor,
        created_at=uow.now,
    )


def scan_candidates(uow: UnitOfWork, *, fulfillment_center_id: str, scanned: str) -> list[ReturnOrder | Shipment]:
    """What a scan matches at the FC, read only: live returns, then shipments without a return."""
    fc = operator_fc(uow, fulfillment_center_id)
    match = _match(uow, fc.id, scanned.strip())
    return [*match.returns, *match.shipments]


def already_arrived(uow: UnitOfWork, *, fulfillment_center_id: str, scanned: str) -> ReturnOrder | None:
    """The return a scan found that had arrived before (the package was scanned twice)."""
    for candidate in scan_candidates(uow, fulfillment_center_id=fulfillment_center_id, scanned=scanned):
        if isinstance(candidate, ReturnOrder) and candidate.status is not ReturnStatus.AwaitingArrival:
            return candidate
    return None


def list_unidentified(
    uow: UnitOfWork, *, fulfillment_center_id: str | None, resolved: bool | None, cursor: str | None, limit: int
) -> Page[UnidentifiedPackage]:
    """Unidentified packages at the operator's FCs, newest first."""
    return uow.unidentified_packages.list_unidentified(fulfillment_center_id, resolved, cursor, limit)


def resolve(uow: UnitOfWork, *, package_id: str, return_id: str) -> ResolvedPackage:
    """Link an unidentified package to a return at the same FC; the return arrives as if scanned."""
    package = uow.unidentified_packages.get_unidentified(package_id, for_update=True)
    if package.resolved_return_id is not None:
        raise Conflict(f"package {package_id} was already linked to a return", code=WarehouseErrorCode.ALREADY_RESOLVED)
    fc = uow.tenants.fulfillment_center(package.fulfillment_center_id)
    target = uow.returns.get(return_id)
    if target.fulfillment_center_id != fc.id:
        raise ValidationFailed(
            "the return is expected at another fulfillment center", code=WarehouseErrorCode.FULFILLMENT_CENTER_MISMATCH
        )
    order = _arrive(uow, target.id, fc)
    package.resolved_return_id, package.resolved_at, package.merchant_id = order.id, uow.now, order.merchant_id
    uow.unidentified_packages.resolve_unidentified(package)
    # A package that matched nothing has no merchant to tell until it is linked: the event goes then.
    uow.outbox.publish(
        Topic.UnidentifiedCreated, merchant_id=order.merchant_id, resource_type="unidentified_package", subject=package
    )
    uow.receipts.add_receipt(
        id=new_id("rcp"),
        fulfillment_center_id=fc.id,
        merchant_id=order.merchant_id,
        scanned=package.scanned,
        outcome=ReceiptOutcome.Matched.value,
        return_id=order.id,
        unidentified_package_id=package.id,
        actor=uow.principal.actor,
        created_at=uow.now,
    )
    uow.commit()
    return ResolvedPackage(package, order)
