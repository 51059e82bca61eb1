"""Reading ShipBob-style requests: comma-separated query lists, int32 ids, headers, JSON bodies.

Query parameter names are matched case-insensitively, as ShipBob's (ASP.NET) API does.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, TypeVar

from fastapi import Request
from pydantic import ValidationError

from boomerang.domain.error_codes import ReturnErrorCode
from boomerang.domain.errors import FieldError, NotFound, ValidationFailed
from boomerang.domain.returns import ReturnStatus, ReturnType, TakenAction
from boomerang.entrypoints.compat.shipbob.errors import BadRequest
from boomerang.entrypoints.compat.shipbob.models import CreateReturnRequest
from boomerang.services.compat_shipbob import NumberedLine, NumberedReturnRequest
from boomerang.services.queries import CompatReturnFilters

INT32_MAX = 2**31 - 1
DEFAULT_LIMIT, MAX_LIMIT = 50, 250
E = TypeVar("E", bound=StrEnum)


def bad(name: str, message: str) -> BadRequest:
    return BadRequest(f"{name}: {message}", details=[FieldError(name, message)])


def query(request: Request) -> dict[str, str]:
    """Query parameters by lower-cased name; empty values count as absent."""
    return {k.lower(): v for k, v in request.query_params.multi_items() if v.strip()}


def int32(name: str, value: str, minimum: int = 0) -> int:
    text = value.strip()
    if not (text.isascii() and text.lstrip("-").isdigit()) or len(text) > 11:
        raise bad(name, f"{value!r} is not an integer")
    number = int(text)
    if not minimum <= number <= INT32_MAX:
        raise bad(name, f"must be between {minimum} and {INT32_MAX}")
    return number


def path_number(value: str) -> int:
    """A return id from the path; anything that is not one names no return."""
    try:
        return int32("id", value)
    except BadRequest:
        raise NotFound(f"return {value} not found", code=ReturnErrorCode.RETURN_NOT_FOUND)


def int_list(name: str, value: str) -> list[int]:
    return [int32(name, part) for part in value.split(",") if part.strip()]


def str_list(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def enum_list(name: str, value: str, enum: type[E]) -> list[E]:
    by_lower = {member.value.lower(): member for member in enum}
    parts = str_list(value)
    unknown = [p for p in parts if p.lower() not in by_lower]
    if unknown:
        raise bad(name, f"unknown value(s) {', '.join(unknown)}; use {', '.join(by_lower.values())}")
    return [by_lower[p.lower()] for p in parts]


def date_time(name: str, value: str) -> datetime:
    """ISO 8601; without an offset it is taken as UTC."""
    try:
        parsed = datetime.fromisoformat(value.strip().upper().replace("Z", "+00:00"))
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    except (ValueError, OverflowError):
        raise bad(name, f"{value!r} is not an ISO 8601 date-time")


LIST_FIELDS = {
    "referenceids": "reference_ids",
    "trackingnumbers": "tracking_numbers",
    "storeorderids": "store_order_ids",
}
NUMBER_FIELDS = {
    "ids": "ids",
    "fulfillmentcenterids": "fulfillment_center_ids",
    "originalshipmentids": "original_shipment_ids",
    "inventoryids": "product_ids",
}
ENUM_FIELDS: dict[str, tuple[str, type[StrEnum]]] = {
    "status": ("statuses", ReturnStatus),
    "returntypes": ("return_types", ReturnType),
    "returnactions": ("actions", TakenAction),
}
DATE_FIELDS = {
    "startdate": "start",
    "enddate": "end",
    "completedstartdate": "completed_start",
    "completedenddate": "completed_end",
}
SORT_FIELDS = {"id", "insertdate", "insert_date", "createddate"}


def list_filters(params: dict[str, str]) -> tuple[CompatReturnFilters, dict[str, list[int]]]:
    """GET /return filters, and the number filters still to translate."""
    filters = CompatReturnFilters()
    numbered = {field: int_list(name, params[name]) for name, field in NUMBER_FIELDS.items() if name in params}
    for name, field in LIST_FIELDS.items():
        if name in params:
            setattr(filters, field, str_list(params[name]))
    for name, (field, enum) in ENUM_FIELDS.items():
        if name in params:
            setattr(filters, field, enum_list(name, params[name], enum))
    for name, field in DATE_FIELDS.items():
        if name in params:
            setattr(filters, field, date_time(name, params[name]))
    if "sortby" in params and params["sortby"].strip().lower() not in SORT_FIELDS:
        raise bad("Sortby", "returns sort by insert date (id); use InsertDate")
    order = params.get("sortorder", "Desc").strip().lower()
    if order not in ("asc", "desc"):
        raise bad("SortOrder", "use Asc or Desc")
    filters.oldest_first = order == "asc"
    return filters, numbered


def paging(params: dict[str, str]) -> tuple[int, int]:
    """(page number from 1, page size) from Cursor and Limit."""
    page = int32("Cursor", params["cursor"], minimum=1) if "cursor" in params else 1
    limit = int32("Limit", params["limit"], minimum=1) if "limit" in params else DEFAULT_LIMIT
    if limit > MAX_LIMIT:
        raise bad("Limit", f"at most {MAX_LIMIT}")
    return page, limit


def channel_header(request: Request) -> int:
    value = request.headers.get("shipbob_channel_id")
    if value is None or not value.strip():
        raise bad("shipbob_channel_id", "this header is required; GET /channel gives your channel id")
    return int32("shipbob_channel_id", value)


def _field(loc: tuple[Any, ...]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else ("." if path else "") + str(part)
    return path or "body"


def _storable(data: Any) -> bool:
    """Text the database can keep: no NUL, no unpaired surrogates (both pass JSON parsing)."""
    if isinstance(data, str):
        try:
            data.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return "\x00" not in data
    if isinstance(data, dict):
        return all(_storable(k) and _storable(v) for k, v in data.items())
    if isinstance(data, list):
        return all(_storable(v) for v in data)
    return True


def return_request(body: bytes) -> NumberedReturnRequest:
    """A CreateReturnRequest body; malformed JSON is a BadRequest, a wrong shape a ValidationFailed."""
    try:
        data = json.loads(body) if body.strip() else None
    except (ValueError, RecursionError):
        raise BadRequest("the request body is not valid JSON")
    if not _storable(data):
        raise ValidationFailed("text must not contain NUL characters or unpaired surrogates")
    try:
        parsed = CreateReturnRequest.model_validate(data)
    except ValidationError as error:
        details = [FieldError(_field(tuple(e["loc"])), e["msg"]) for e in error.errors()]
        raise ValidationFailed("the request is not valid", details=details)
    return NumberedReturnRequest(
        reference_id=parsed.reference_id,
        fulfillment_center_number=parsed.fulfillment_center.id,
        lines=[NumberedLine(line.id, line.quantity, line.requested_action) for line in parsed.inventory],
        original_shipment_number=parsed.original_shipment_id,
        tracking_number=parsed.tracking_number,
    )
