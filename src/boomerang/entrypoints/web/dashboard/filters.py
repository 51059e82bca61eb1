"""Query strings to filters: the page's URL holds the whole filter, so every list is bookmarkable."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import TypeVar
from urllib.parse import urlencode

from starlette.datastructures import QueryParams

from boomerang.domain.errors import FieldError, ValidationFailed
from boomerang.domain.returns import Channel, ReturnStatus, ReturnType, TakenAction
from boomerang.services.queries import ReturnFilters

E = TypeVar("E", bound=StrEnum)
RETURN_FILTER_KEYS = (
    "status", "q", "type", "fc", "channel", "action", "created_from", "created_to", "arrived_from", "arrived_to",
)  # fmt: skip


def text_param(params: QueryParams, key: str) -> str | None:
    value = (params.get(key) or "").strip()
    return value[:200] or None


def enum_param(params: QueryParams, key: str, kind: type[E], errors: list[FieldError]) -> E | None:
    value = text_param(params, key)
    if value is None:
        return None
    try:
        return kind(value)
    except ValueError:
        errors.append(FieldError(key, f"{key} must be one of {', '.join(m.value for m in kind)}"))
        return None


def date_param(params: QueryParams, key: str, errors: list[FieldError]) -> date | None:
    value = text_param(params, key)
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors.append(FieldError(key, f"{key} must be a date like 2026-11-28"))
        return None


def return_filters(params: QueryParams) -> ReturnFilters:
    """The Returns page's filters from its query string; a bad value is a clear 422, never ignored."""
    errors: list[FieldError] = []
    status = enum_param(params, "status", ReturnStatus, errors)
    filters = ReturnFilters(
        status=[status] if status else [],
        q=text_param(params, "q"),
        return_type=enum_param(params, "type", ReturnType, errors),
        fulfillment_center_id=text_param(params, "fc"),
        channel=enum_param(params, "channel", Channel, errors),
        action=enum_param(params, "action", TakenAction, errors),
        start_date=date_param(params, "created_from", errors),
        end_date=date_param(params, "created_to", errors),
        arrived_from=date_param(params, "arrived_from", errors),
        arrived_to=date_param(params, "arrived_to", errors),
    )
    if errors:
        raise ValidationFailed("; ".join(e.message for e in errors), details=errors)
    return filters


def query_with(params: QueryParams, keys: tuple[str, ...], **changes: str | None) -> str:
    """This page's filter with some values changed (None removes one), as a query string."""
    values = {k: params.get(k) for k in keys}
    values.update(changes)
    return urlencode({k: v for k, v in values.items() if v})
