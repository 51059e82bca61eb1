"""Database errors that a client caused: a unique constraint or a stale version, as the conflict to answer.

SQLite names the columns of a violated unique constraint where PostgreSQL names the constraint, so both
forms are recognised.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from boomerang.domain.error_codes import AuthErrorCode, CommonErrorCode, ErrorCode, ProductErrorCode, ReturnErrorCode
from boomerang.domain.errors import Conflict

# Unique constraints whose violation is a client-visible conflict, by constraint name.
CONFLICT_CODES: dict[str, tuple[ErrorCode, str]] = {
    "uq_return_orders_live_reference": (
        ReturnErrorCode.DUPLICATE_REFERENCE_ID,
        "reference_id is already used by another return",
    ),
    "uq_return_orders_live_tracking_number": (
        ReturnErrorCode.DUPLICATE_TRACKING_NUMBER,
        "tracking_number is already used by another return; one return per package",
    ),
    "uq_products_merchant_sku": (ProductErrorCode.DUPLICATE_SKU, "sku is already used by another product"),
    "uq_users_email": (AuthErrorCode.DUPLICATE_EMAIL, "a user with this email exists"),
}


def conflict_for(error: IntegrityError | StaleDataError) -> Conflict | None:
    """The client-visible conflict a database error stands for, if it is one."""
    if isinstance(error, StaleDataError):
        return Conflict("the resource was changed by another request; retry", code=CommonErrorCode.VERSION_CONFLICT)
    message = str(error.orig)
    for constraint, (code, text) in CONFLICT_CODES.items():
        if constraint in message or _sqlite_unique_hint(constraint, message):
            return Conflict(text, code=code)
    return None


def _sqlite_unique_hint(constraint: str, message: str) -> bool:
    # SQLite names columns, not constraints: "UNIQUE constraint failed: products.merchant_id, products.sku"
    hints = {
        "uq_return_orders_live_reference": "return_orders.merchant_id, return_orders.reference_id",
        "uq_return_orders_live_tracking_number": "return_orders.merchant_id, return_orders.tracking_number",
        "uq_products_merchant_sku": "products.merchant_id, products.sku",
        "uq_users_email": "users.email",
    }
    return hints.get(constraint, "\0") in message
