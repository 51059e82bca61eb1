"""Unidentified packages at the station: the oldest first with their age, notes, and resolving one by a scan."""

from __future__ import annotations

from dataclasses import dataclass

from boomerang.domain.error_codes import ReturnErrorCode, WarehouseErrorCode
from boomerang.domain.errors import Conflict, FieldError, NotFound, ValidationFailed
from boomerang.domain.returns import ReturnOrder, ReturnStatus
from boomerang.domain.service_levels import business_days_between
from boomerang.domain.shipments import UnidentifiedPackage
from boomerang.services import receiving
from boomerang.services.unit_of_work import UnitOfWork

MAX_NOTE_LENGTH = 1000


@dataclass(frozen=True)
class WaitingPackage:
    package: UnidentifiedPackage
    age_business_days: int


def waiting_packages(uow: UnitOfWork, *, fulfillment_center_id: str, limit: int = 200) -> list[WaitingPackage]:
    """Unresolved packages at the FC, the oldest first."""
    fc = receiving.operator_fc(uow, fulfillment_center_id)
    today = uow.now.date()
    return [
        WaitingPackage(p, business_days_between(p.received_at.date(), today))
        for p in uow.unidentified_packages.open_unidentified(fc.id, limit)
    ]


def package(uow: UnitOfWork, *, package_id: str) -> UnidentifiedPackage:
    return uow.unidentified_packages.get_unidentified(package_id)


def annotate(uow: UnitOfWork, *, package_id: str, note: str) -> UnidentifiedPackage:
    """Carrier, sender, what is inside: free text that helps whoever resolves the package."""
    note = note.strip()
    if len(note) > MAX_NOTE_LENGTH:
        message = f"a note is at most {MAX_NOTE_LENGTH} characters"
        raise ValidationFailed(message, details=[FieldError("note", message)])
    found = uow.unidentified_packages.get_unidentified(package_id, for_update=True)
    uow.unidentified_packages.set_unidentified_note(found.id, note or None)
    uow.commit()
    found.note = note or None
    return found


def resolve_by_scan(uow: UnitOfWork, *, package_id: str, scanned: str) -> ReturnOrder:
    """Link a package to the return whose reference or tracking number is `scanned` (the return arrives)."""
    found = uow.unidentified_packages.get_unidentified(package_id)
    scanned = scanned.strip()
    if not scanned:
        raise ValidationFailed(
            "scan or type a reference id or tracking number", details=[FieldError("scanned", "required")]
        )
    live = [
        o
        for o in uow.receipts.returns_matching_scan(found.fulfillment_center_id, scanned)
        if o.status is not ReturnStatus.Cancelled
    ]
    if not live:
        raise NotFound(
            f"no return at this fulfillment center has the reference or tracking number {scanned}",
            code=ReturnErrorCode.RETURN_NOT_FOUND,
        )
    if len(live) > 1:
        raise Conflict(
            f"{scanned} matches {len(live)} returns; scan the reference id written on the package",
            code=WarehouseErrorCode.AMBIGUOUS,
        )
    return receiving.resolve(uow, package_id=found.id, return_id=live[0].id).order
