"""Domain errors: each carries a stable snake_case code that the API maps to an HTTP status."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


class DomainError(Exception):
    """Base of every rule violation; `code` is part of the public contract."""

    code = "domain_error"

    def __init__(self, message: str, *, code: str | None = None, details: list[FieldError] | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.details = details or []


class NotFound(DomainError):
    code = "not_found"


class Conflict(DomainError):
    """The resource's state forbids the request (HTTP 409)."""

    code = "conflict"


class InvalidTransition(Conflict):
    code = "invalid_transition"


class ValidationFailed(DomainError):
    """The request is well-formed but breaks a rule (HTTP 422)."""

    code = "validation_error"


class PreconditionFailed(DomainError):
    code = "precondition_failed"


class Forbidden(DomainError):
    code = "forbidden"


class PayloadTooLarge(DomainError):
    code = "payload_too_large"


def require(condition: bool, field: str, message: str) -> None:
    """Raise a single-field ValidationFailed unless `condition` holds."""
    if not condition:
        raise ValidationFailed(message, details=[FieldError(field, message)])
