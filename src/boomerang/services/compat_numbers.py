"""Stable integer numbers of returns, products, FCs, shipments and channels (ShipBob-style ids).

A resource gets its number the first time a number is needed for it, in the transaction that needs
it, and keeps it forever; a client can only know numbers it was shown, so lazy numbering is complete.
"""

from __future__ import annotations

from collections.abc import Iterable

from boomerang.domain.numbers import SHARED, NumberKind
from boomerang.services.unit_of_work import UnitOfWork

__all__ = ["SHARED", "NumberKind", "numbers_of", "resolve_numbers", "return_id_for"]


def _owner(uow: UnitOfWork, kind: NumberKind) -> str:
    if kind is NumberKind.fulfillment_center:
        return SHARED
    merchant_id = uow.require_merchant()
    return merchant_id


def numbers_of(uow: UnitOfWork, kind: NumberKind, resource_ids: Iterable[str]) -> dict[str, int]:
    """Numbers of the caller's resources, numbering new ones (the caller commits)."""
    return uow.numbers.numbers(kind, _owner(uow, kind), resource_ids)


def resolve_numbers(uow: UnitOfWork, kind: NumberKind, numbers: Iterable[int]) -> dict[int, str]:
    """Our ids of the caller's numbered resources; numbers it does not own are left out."""
    return uow.numbers.resource_ids(kind, _owner(uow, kind), numbers)


def return_id_for(uow: UnitOfWork, return_id_or_number: str) -> str:
    """Our API accepts a return's number wherever it takes its id (scoping stays with the repository)."""
    if not (return_id_or_number.isascii() and return_id_or_number.isdigit()) or len(return_id_or_number) > 10:
        return return_id_or_number
    found = uow.numbers.resource_ids(NumberKind.return_, None, [int(return_id_or_number)])
    return found.get(int(return_id_or_number), return_id_or_number)
