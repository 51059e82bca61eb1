"""Loop webhooks: `{topic, trigger, id, state, order_name, customer, line_items[], labels[]}`.

Loop's `id` is the return's and is shared by all of its events, so redeliveries are recognized by a
SHA-256 of the raw body instead.
"""

from __future__ import annotations

import hashlib
from typing import Any

from boomerang.adapters.integrations.payload import fail, items, load_object, obj, text
from boomerang.domain.integrations import (
    SIGNATURE_HEADERS,
    InboundEvent,
    IncomingLine,
    IncomingReturn,
    Provider,
    group_lines,
)

SIGNATURE_HEADER = SIGNATURE_HEADERS[Provider.Loop]
REFERENCE_PREFIX = "LOOP-"
CANCEL_TRIGGERS = {"return.updated", "return.closed"}
CANCEL_STATES = {"cancelled", "canceled", "expired"}
_NO_TRACKING = {"", "N/A", "n/a"}


def reference_for(loop_return_id: str) -> str:
    """`LOOP-<id>`; ids shorter than 3 digits are zero-padded so the reference has 8+ characters."""
    return REFERENCE_PREFIX + loop_return_id.rjust(3, "0")


def _reason(item: dict[str, Any]) -> str | None:
    for key in ("return_reason", "reason", "parent_return_reason"):
        value = item.get(key)
        if isinstance(value, str) and value:
            return value[:500]
    return None


def _lines(document: dict[str, Any]) -> list[IncomingLine]:
    entries = items(document, "line_items", "line_items")
    if not entries:
        raise fail("line_items", "a return needs at least one line item")
    units = [
        IncomingLine(str(text(item, "sku", f"line_items[{i}].sku")), 1, _reason(item)) for i, item in enumerate(entries)
    ]
    return group_lines(units)


def _customer_name(document: dict[str, Any]) -> str | None:
    detail = obj(document, "customer_detail", "customer_detail")
    name = " ".join(str(detail[k]) for k in ("first_name", "last_name") if detail.get(k))
    if not name:
        address_name = obj(document, "address", "address").get("name")
        name = address_name if isinstance(address_name, str) else ""
    return name[:200] or None


def _tracking_number(document: dict[str, Any]) -> str | None:
    candidates = [
        text(label, "tracking_number", f"labels[{i}].tracking_number", required=False)
        for i, label in enumerate(items(document, "labels", "labels"))
    ]
    if document.get("topic") == "label":
        candidates.append(text(document, "tracking_number", "tracking_number", required=False))
    for number in candidates:
        if number and number.strip() not in _NO_TRACKING:
            return number.strip()[:100]
    return None


def parse(body: bytes) -> InboundEvent:
    """The event and what it asks Boomerang to do (raises MalformedPayload)."""
    document = load_object(body)
    topic = str(text(document, "topic", "topic"))
    trigger = str(text(document, "trigger", "trigger"))
    id_field = "return_id" if topic == "label" else "id"
    return_id = str(text(document, id_field, id_field))
    state = (text(document, "state", "state", required=False) or "").lower()
    create = None
    if trigger == "return.created":
        create = IncomingReturn(
            reference_id=reference_for(return_id),
            lines=_lines(document),
            store_order_id=text(document, "order_name", "order_name", required=False),
            customer_name=_customer_name(document),
        )
    return InboundEvent(
        provider=Provider.Loop,
        event_key=hashlib.sha256(body).hexdigest(),
        event_type=trigger[:100],
        external_id=return_id[:100],
        payload=document,
        create=create,
        tracking_number=_tracking_number(document),
        cancel=trigger in CANCEL_TRIGGERS and state in CANCEL_STATES,
    )
