"""Inbound integrations (AfterShip Returns, Loop): what a parsed event asks for, and signatures."""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from boomerang.domain.errors import FieldError, ValidationFailed


class Provider(StrEnum):
    AfterShip = "AfterShip"
    Loop = "Loop"


# The header each platform signs its webhooks in (part of its contract, like the payload).
# A platform's shared webhook secret (AfterShip, Loop), whichever client sets it: characters, after trimming.
WEBHOOK_SECRET_LENGTH = (8, 200)


def check_webhook_secret(secret: str) -> None:
    shortest, longest = WEBHOOK_SECRET_LENGTH
    if not shortest <= len(secret) <= longest:
        detail = FieldError("webhook_secret", f"{shortest} to {longest} characters")
        raise ValidationFailed("secret", details=[detail])


SIGNATURE_HEADERS = {Provider.AfterShip: "as-signature-hmac-sha256", Provider.Loop: "X-Loop-Signature"}


class InboundResult(StrEnum):
    Created = "Created"
    TrackingUpdated = "TrackingUpdated"
    Cancelled = "Cancelled"
    Ignored = "Ignored"
    Rejected = "Rejected"


@dataclass(frozen=True)
class IncomingLine:
    sku: str
    quantity: int
    reason: str | None = None


@dataclass(frozen=True)
class IncomingReturn:
    """A customer-initiated return as the portal describes it, before SKUs are resolved."""

    reference_id: str
    lines: list[IncomingLine]
    store_order_id: str | None = None
    customer_name: str | None = None


@dataclass(frozen=True)
class InboundEvent:
    """One portal event: at most a create, a tracking number and a cancel, in that order."""

    provider: Provider
    event_key: str  # what redeliveries share: AfterShip's envelope id, a SHA-256 of Loop's body
    event_type: str
    external_id: str | None
    payload: dict[str, Any]
    create: IncomingReturn | None = None
    tracking_number: str | None = None
    cancel: bool = False
    notes: list[str] = field(default_factory=list)


def body_signature(secret: str, body: bytes) -> str:
    """base64 HMAC-SHA256 of the raw body, as AfterShip and Loop send it."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def signature_matches(secret: str, body: bytes, signature: str | None) -> bool:
    """Constant-time comparison of the received signature with the expected one."""
    if not signature:
        return False
    return hmac.compare_digest(body_signature(secret, body).encode(), signature.strip().encode())


def group_lines(lines: list[IncomingLine]) -> list[IncomingLine]:
    """One line per SKU (a return names each product once), quantities summed, first reason kept."""
    grouped: dict[str, IncomingLine] = {}
    for line in lines:
        seen = grouped.get(line.sku)
        grouped[line.sku] = (
            line if seen is None else IncomingLine(line.sku, seen.quantity + line.quantity, seen.reason or line.reason)
        )
    return list(grouped.values())
