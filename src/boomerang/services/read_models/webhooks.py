"""Webhook endpoints and their delivery log as their clients see them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from boomerang.domain.webhooks import DeliveryStatus


@dataclass(frozen=True)
class Endpoint:
    id: str
    url: str
    topics: list[str]
    created_at: datetime
    failing_since: datetime | None
    disabled_at: datetime | None

    @property
    def is_disabled(self) -> bool:
        return self.disabled_at is not None

    @classmethod
    def of(cls, row: Any) -> Endpoint:
        """From a subscription row of the webhook repository."""
        return cls(row.id, row.url, list(row.topics), row.created_at, row.failing_since, row.disabled_at)


@dataclass(frozen=True)
class NewEndpoint:
    endpoint: Endpoint
    secret: str  # the signing secret, shown only this once


@dataclass(frozen=True)
class DeliveryAttempt:
    attempted_at: datetime
    succeeded: bool
    response_status: int | None
    error: str | None
    duration_ms: int


@dataclass(frozen=True)
class DeliveryLog:
    """One event sent to one endpoint: where it stands, and every attempt so far."""

    id: str
    event_id: str
    topic: str
    status: DeliveryStatus
    attempt_count: int
    created_at: datetime
    last_attempt_at: datetime | None
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    response_status: int | None
    error: str | None
    attempts: list[DeliveryAttempt]
