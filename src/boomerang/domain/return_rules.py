"""The rules a return must keep with the world around it: its reference id, the lengths of its texts, one
return per package, and shipments of its own merchant only. Each a plain function the aggregate and the use
cases call."""

from __future__ import annotations

import re
from collections.abc import Mapping

from boomerang.domain.error_codes import ErrorCode, ReturnErrorCode
from boomerang.domain.errors import Conflict, FieldError, ValidationFailed

REFERENCE_ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,50}$")
REFERENCE_ID_RULE = "reference_id is 8 to 50 characters: letters, digits, '-' and '_'"


def reference_id_is_valid(reference_id: str) -> bool:
    return bool(REFERENCE_ID_PATTERN.fullmatch(reference_id))


def validate_reference_id(reference_id: str) -> None:
    if not reference_id_is_valid(reference_id):
        raise ValidationFailed(REFERENCE_ID_RULE, details=[FieldError("reference_id", REFERENCE_ID_RULE)])


# The longest text a return line's reason and a return's details may hold (the sizes of their columns).
MAX_REASON_LENGTH = 500
DETAIL_LENGTHS = {"customer_name": 200, "store_order_id": 100, "tracking_number": 100}


def validate_details(details: Mapping[str, object]) -> None:
    """A return's details within DETAIL_LENGTHS (a detail that is absent or None is not checked)."""
    errors = [
        FieldError(name, f"at most {longest} characters")
        for name, longest in DETAIL_LENGTHS.items()
        if isinstance(details.get(name), str) and len(str(details[name])) > longest
    ]
    if errors:
        raise ValidationFailed("invalid return details", details=errors)


class DuplicateTrackingNumber(Conflict):
    code: ErrorCode = ReturnErrorCode.DUPLICATE_TRACKING_NUMBER


def require_unused_tracking_number(tracking_number: str, used_by: str | None) -> None:
    """One return per package: a tracking number names one package, so at most one live return of a merchant.

    `used_by` is the other non-cancelled return of the same merchant with this tracking number (its own
    or its label's), if any. Other merchants may share it: the dock answers `ambiguous` for those.
    """
    if used_by is not None:
        raise DuplicateTrackingNumber(
            f"tracking number {tracking_number} is already used by return {used_by}; one return per package",
            details=[FieldError("tracking_number", "already used by another return")],
        )


def require_own_shipment(shipment_id: str, merchant_id: str, shipment_merchant_id: str | None) -> None:
    """A return names only its own merchant's shipment; unknown and foreign get one answer (existence never leaks)."""
    if shipment_merchant_id != merchant_id:
        message = f"original_shipment_id {shipment_id} is not one of your shipments"
        raise ValidationFailed(
            message, code=ReturnErrorCode.UNKNOWN_SHIPMENT, details=[FieldError("original_shipment_id", message)]
        )
