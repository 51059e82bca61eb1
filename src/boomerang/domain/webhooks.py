"""Outbound webhook rules: topics, the retry schedule, when an endpoint is disabled, signing secrets."""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from boomerang.domain.error_codes import WebhookErrorCode
from boomerang.domain.errors import FieldError, ValidationFailed
from boomerang.domain.events import TOPICS

# Delays before attempts 2..8; attempt 1 is immediate (Standard Webhooks / Svix-style schedule).
RETRY_DELAYS = (
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=10),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
DISABLE_AFTER = timedelta(days=5)
SECRET_PREFIX = "whsec_"


class DeliveryStatus(StrEnum):
    Pending = "Pending"
    Succeeded = "Succeeded"
    Failed = "Failed"


@dataclass(frozen=True)
class NewDelivery:
    """One event to send to one subscription: pending, first attempt due when it is created."""

    id: str
    merchant_id: str
    subscription_id: str
    event_id: str
    topic: str
    created_at: datetime


def validate_topics(topics: list[str]) -> list[str]:
    """Known topics, each once, in the order of TOPICS."""
    unknown = [t for t in topics if t not in TOPICS]
    if not topics or unknown:
        message = f"unknown topics {unknown}" if unknown else "give at least one topic"
        raise ValidationFailed(
            message,
            code=WebhookErrorCode.INVALID_TOPICS,
            details=[FieldError("topics", f"{message}; known: {', '.join(TOPICS)}")],
        )
    return [t for t in TOPICS if t in set(topics)]


def next_attempt_at(attempts_made: int, last_attempt: datetime) -> datetime | None:
    """When to try again after `attempts_made` failed attempts, or None when retries are exhausted."""
    if attempts_made >= MAX_ATTEMPTS:
        return None
    return last_attempt + RETRY_DELAYS[attempts_made - 1]


def should_disable(failing_since: datetime, now: datetime) -> bool:
    return now - failing_since >= DISABLE_AFTER


def new_signing_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()
