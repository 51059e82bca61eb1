"""Reading untrusted JSON: every problem becomes a 4xx with the field that is wrong."""

from __future__ import annotations

from typing import Any

from boomerang import untrusted_json
from boomerang.domain.error_codes import CommonErrorCode, ErrorCode, IntegrationErrorCode
from boomerang.domain.errors import DomainError, FieldError, ValidationFailed


class MalformedPayload(ValidationFailed):
    code: ErrorCode = IntegrationErrorCode.MALFORMED_PAYLOAD


def load_object(body: bytes) -> dict[str, Any]:
    try:
        document = untrusted_json.loads(body)
    except untrusted_json.UntrustedJson as error:
        raise DomainError(f"the body is not usable JSON: {error}", code=CommonErrorCode.MALFORMED_JSON) from error
    if not isinstance(document, dict):
        raise MalformedPayload("the body must be a JSON object", details=[FieldError("body", "expected an object")])
    return document


def fail(field: str, message: str) -> MalformedPayload:
    return MalformedPayload(f"{field}: {message}", details=[FieldError(field, message)])


def text(document: dict[str, Any], key: str, path: str, *, required: bool = True) -> str | None:
    """A string (or number, turned into text) field; None when absent and optional."""
    value = document.get(key)
    if value is None or value == "":
        if required:
            raise fail(path, "is required")
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise fail(path, "must be a string")
    return str(value)


def obj(document: dict[str, Any], key: str, path: str) -> dict[str, Any]:
    value = document.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise fail(path, "must be an object")
    return value


def items(document: dict[str, Any], key: str, path: str) -> list[dict[str, Any]]:
    value = document.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise fail(path, "must be a list of objects")
    return value


def positive_int(value: Any, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise fail(path, "must be a whole number of at least 1")
    return value
