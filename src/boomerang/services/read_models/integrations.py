"""Inbound integrations as their clients see them: a provider's setup, and the log of what arrived."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from boomerang.domain.integrations import InboundResult, Provider


@dataclass(frozen=True)
class IntegrationConfig:
    merchant_id: str
    provider: Provider
    fulfillment_center_id: str
    signature_header: str
    updated_at: datetime


@dataclass(frozen=True)
class InboundEventRecord:
    """One inbound provider event: what arrived and what it did (a redelivery is marked `duplicate`)."""

    id: str
    provider: Provider
    event_type: str
    event_key: str
    external_id: str | None
    received_at: datetime
    result: InboundResult
    return_id: str | None
    message: str | None
    error_code: str | None
    # The provider's event as received (None for a body that could not be parsed): its shape is the
    # provider's and varies by event type, so it stays a mapping.
    payload: dict[str, Any] | None
    duplicate: bool = False
