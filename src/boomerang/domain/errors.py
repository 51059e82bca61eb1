"""Domain errors: each carries a stable snake_case code that the API maps to an HTTP status."""

from __future__ import annotations

from dataclasses import dataclass

from boomerang.domain.error_codes import CommonErrorCode, ErrorCode


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


class DomainError(Exception):
    """Base of every rule violation; `code` is part of the public contract."""

    code: ErrorCode = CommonErrorCode.DOMAIN_ERROR

    def __init__(self, message: str, *, code: ErrorCode | None = None, details: list[FieldError] | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.details = details or []


class NotFound(DomainError):
    code: ErrorCode = CommonErrorCode.NOT_FOUND


class Conflict(DomainError):
    """The resource's state forbids the request (HTTP 409)."""

    code: ErrorCode = CommonErrorCode.CONFLICT


class InvalidTransition(Conflict):
    code: ErrorCode = CommonErrorCode.INVALID_TRANSITION


class ValidationFailed(DomainError):
    """The request is well-formed but breaks a rule (HTTP 422)."""

    code: ErrorCode = CommonErrorCode.VALIDATION_ERROR


class PreconditionFailed(DomainError):
    code: ErrorCode = CommonErrorCode.PRECONDITION_FAILED


class Forbidden(DomainError):
    code: ErrorCode = CommonErrorCode.FORBIDDEN


class PayloadTooLarge(DomainError):
    code: ErrorCode = CommonErrorCode.PAYLOAD_TOO_LARGE


def require(condition: bool, field: str, message: str) -> None:
    """Raise a single-field ValidationFailed unless `condition` holds."""
    if not condition:
        raise ValidationFailed(message, details=[FieldError(field, message)])
