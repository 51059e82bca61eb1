"""The warehouse floor as its clients see it: what a carrier event changed, and a package linked to its return."""

from __future__ import annotations

from dataclasses import dataclass

from boomerang.domain.returns import ReturnOrder
from boomerang.domain.shipments import CarrierStatus, UnidentifiedPackage


@dataclass(frozen=True)
class CarrierEventRecorded:
    """A carrier tracking event, kept: how many shipments it flagged RTS and how many returns it reached."""

    tracking_number: str
    status: CarrierStatus
    shipments_marked_rts: int
    returns_updated: int


@dataclass(frozen=True)
class ResolvedPackage:
    """An unidentified package linked to a return at its FC; the return has arrived."""

    package: UnidentifiedPackage
    order: ReturnOrder
