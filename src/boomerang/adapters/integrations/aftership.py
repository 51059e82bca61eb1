"""AfterShip Returns webhooks: envelope `{id, event, created_at, data}` where `data` is the Return."""

from __future__ import annotations

import re
from typing import Any

from boomerang.adapters.integrations.payload import fail, items, load_object, obj, positive_int, text
from boomerang.domain.integrations import (
    SIGNATURE_HEADERS,
    InboundEvent,
    IncomingLine,
    IncomingReturn,
    Provider,
    group_lines,
)

SIGNATURE_HEADER = SIGNATURE_HEADERS[Provider.AfterShip]
REFERENCE_PREFIX = "AS-"
CREATE_EVENTS = {"return.approved"}
APPROVAL_EVENTS = {"return.submitted", "return.created"}  # create only when already approved
TRACKING_EVENTS = {
    "return.shipment.provided",
    "return.shipment.recorded",
    "return.shipment.updated",
    "return.shipments.provided",
}
CANCEL_EVENTS = {"return.rejected", "return.expired"}
_NOT_REFERENCE_CHARS = re.compile(r"[^A-Za-z0-9_-]")


def reference_for(rma_number: str) -> str:
    """A valid reference_id from an RMA number, deterministic so every event finds the same return.

    RMAs of 8+ characters are kept as they are; shorter ones get the `AS-` prefix (zero-padded to
    8 characters), so the original RMA stays a substring and `GET /returns?q=<rma>` finds it.
    """
    cleaned = _NOT_REFERENCE_CHARS.sub("-", rma_number.strip())
    if len(cleaned) >= 8:
        return cleaned[:50]
    return REFERENCE_PREFIX + cleaned.rjust(8 - len(REFERENCE_PREFIX), "0")


def _reason(item: dict[str, Any]) -> str | None:
    reason = item.get("return_reason")
    if isinstance(reason, dict):
        reason = reason.get("name") or reason.get("reason")
    return str(reason)[:500] if reason else None


def _lines(data: dict[str, Any]) -> list[IncomingLine]:
    entries = items(data, "return_items", "data.return_items")
    if not entries:
        raise fail("data.return_items", "a return needs at least one item")
    lines = []
    for i, item in enumerate(entries):
        path = f"data.return_items[{i}]"
        sku = text(item, "sku", f"{path}.sku")
        raw_quantity = next((item[k] for k in ("return_quantity", "quantity") if item.get(k) is not None), 1)
        lines.append(IncomingLine(str(sku), positive_int(raw_quantity, f"{path}.return_quantity"), _reason(item)))
    return group_lines(lines)


def _tracking_number(data: dict[str, Any]) -> str | None:
    for i, shipment in enumerate(items(data, "shipments", "data.shipments")):
        number = text(shipment, "tracking_number", f"data.shipments[{i}].tracking_number", required=False)
        if number:
            return number[:100]
    legacy = text(data, "tracking_number", "data.tracking_number", required=False)
    return legacy[:100] if legacy else None


def _is_approved(data: dict[str, Any]) -> bool:
    return "approved" in (data.get("approval_status"), data.get("status"))


def _incoming_return(data: dict[str, Any]) -> IncomingReturn:
    rma_number = str(text(data, "rma_number", "data.rma_number"))
    order = obj(data, "order", "data.order")
    return IncomingReturn(
        reference_id=reference_for(rma_number),
        lines=_lines(data),
        store_order_id=text(order, "order_number", "data.order.order_number", required=False),
        customer_name=text(order, "customer_name", "data.order.customer_name", required=False),
    )


def parse(body: bytes) -> InboundEvent:
    """The envelope and what it asks Boomerang to do (raises MalformedPayload)."""
    envelope = load_object(body)
    event_id = str(text(envelope, "id", "id"))
    event_type = str(text(envelope, "event", "event"))
    data = obj(envelope, "data", "data")
    creates = event_type in CREATE_EVENTS or (event_type in APPROVAL_EVENTS and _is_approved(data))
    relevant = creates or event_type in TRACKING_EVENTS or event_type in CANCEL_EVENTS
    if relevant and not data:
        raise fail("data", "is required for this event")
    external_id = text(data, "id", "data.id", required=relevant)
    return InboundEvent(
        provider=Provider.AfterShip,
        event_key=event_id[:128],
        event_type=event_type[:100],
        external_id=external_id[:100] if external_id else None,
        payload=envelope,
        create=_incoming_return(data) if creates else None,
        tracking_number=_tracking_number(data) if creates or event_type in TRACKING_EVENTS else None,
        cancel=event_type in CANCEL_EVENTS,
    )
