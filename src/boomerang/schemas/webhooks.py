"""Webhook subscriptions, their delivery log, and inbound integration settings and events."""

from __future__ import annotations

from typing import Annotated, Any, Literal, cast

from pydantic import BaseModel, Field, StringConstraints

from boomerang.domain.events import Topic
from boomerang.domain.integrations import WEBHOOK_SECRET_LENGTH
from boomerang.schemas.common import Id, RequestModel, iso
from boomerang.schemas.urls import inbound_webhook_path
from boomerang.services.read_models.integrations import InboundEventRecord, IntegrationConfig
from boomerang.services.read_models.webhooks import DeliveryAttempt, DeliveryLog, Endpoint, NewEndpoint


class WebhookCreate(RequestModel):
    url: Annotated[str, StringConstraints(min_length=8, max_length=2000)] = Field(
        examples=["https://erp.example.com/boomerang/webhooks"]
    )
    topics: list[Topic] = Field(min_length=1, max_length=20, examples=[["return.created", "return.completed"]])


class WebhookRead(BaseModel):
    id: str
    url: str
    topics: list[str]
    status: Literal["Active", "Disabled"]
    created_at: str
    failing_since: str | None
    disabled_at: str | None

    @classmethod
    def from_domain(cls, endpoint: Endpoint) -> WebhookRead:
        return WebhookRead(
            id=endpoint.id,
            url=endpoint.url,
            topics=list(endpoint.topics),
            status="Disabled" if endpoint.is_disabled else "Active",
            created_at=iso(endpoint.created_at),
            failing_since=iso(endpoint.failing_since),
            disabled_at=iso(endpoint.disabled_at),
        )


class WebhookCreated(WebhookRead):
    secret: str = Field(description="Standard Webhooks signing secret (`whsec_…`); shown only in this response")

    @classmethod
    # built from the new endpoint and its secret, not from an endpoint alone as its base is
    def from_domain(cls, created: NewEndpoint) -> WebhookCreated:  # type: ignore[override]
        return cls(**dict(WebhookRead.from_domain(created.endpoint)), secret=created.secret)


class DeliveryAttemptRead(BaseModel):
    attempted_at: str
    succeeded: bool
    response_status: int | None
    error: str | None
    duration_ms: int

    @classmethod
    def from_domain(cls, attempt: DeliveryAttempt) -> DeliveryAttemptRead:
        return cls(
            attempted_at=iso(attempt.attempted_at),
            succeeded=attempt.succeeded,
            response_status=attempt.response_status,
            error=attempt.error,
            duration_ms=attempt.duration_ms,
        )


DeliveryStatusName = Literal["Pending", "Succeeded", "Failed"]


class DeliveryRead(BaseModel):
    id: str
    event_id: str = Field(description="also the `webhook-id` header: the same on every retry")
    topic: str
    status: DeliveryStatusName
    attempt_count: int
    created_at: str
    last_attempt_at: str | None
    next_attempt_at: str | None
    delivered_at: str | None
    response_status: int | None
    error: str | None
    attempts: list[DeliveryAttemptRead]

    @classmethod
    def from_domain(cls, delivery: DeliveryLog) -> DeliveryRead:
        return cls(
            id=delivery.id,
            event_id=delivery.event_id,
            topic=delivery.topic,
            status=cast(DeliveryStatusName, delivery.status.value),
            attempt_count=delivery.attempt_count,
            created_at=iso(delivery.created_at),
            last_attempt_at=iso(delivery.last_attempt_at),
            next_attempt_at=iso(delivery.next_attempt_at),
            delivered_at=iso(delivery.delivered_at),
            response_status=delivery.response_status,
            error=delivery.error,
            attempts=[DeliveryAttemptRead.from_domain(a) for a in delivery.attempts],
        )


class IntegrationConfigIn(RequestModel):
    webhook_secret: Annotated[
        str, StringConstraints(min_length=WEBHOOK_SECRET_LENGTH[0], max_length=WEBHOOK_SECRET_LENGTH[1])
    ]
    fulfillment_center_id: Id


class IntegrationConfigRead(BaseModel):
    provider: Literal["AfterShip", "Loop"]
    fulfillment_center_id: str
    webhook_url: str
    signature_header: str
    updated_at: str

    @classmethod
    def from_domain(cls, config: IntegrationConfig) -> IntegrationConfigRead:
        return cls(
            provider=config.provider.value,
            fulfillment_center_id=config.fulfillment_center_id,
            webhook_url=inbound_webhook_path(config.provider, config.merchant_id),
            signature_header=config.signature_header,
            updated_at=iso(config.updated_at),
        )


class InboundError(BaseModel):
    code: str
    message: str | None


class InboundEventRead(BaseModel):
    id: str
    provider: Literal["AfterShip", "Loop"]
    event_type: str
    event_key: str = Field(description="AfterShip's event id, or the SHA-256 of Loop's raw body (the dedup key)")
    external_id: str | None
    received_at: str
    result: Literal["Created", "TrackingUpdated", "Cancelled", "Ignored", "Rejected"]
    return_id: str | None
    message: str | None
    error: InboundError | None
    duplicate: bool = Field(description="true when this delivery repeated an event already processed")

    @classmethod
    def from_domain(cls, record: InboundEventRecord) -> InboundEventRead:
        return InboundEventRead(
            id=record.id,
            provider=record.provider.value,
            event_type=record.event_type,
            event_key=record.event_key,
            external_id=record.external_id,
            received_at=iso(record.received_at),
            result=record.result.value,
            return_id=record.return_id,
            message=record.message,
            error=InboundError(code=record.error_code, message=record.message) if record.error_code else None,
            duplicate=record.duplicate,
        )


class InboundEventLogRead(InboundEventRead):
    payload: dict[str, Any] | None  # the provider's event as received

    @classmethod
    def from_domain(cls, record: InboundEventRecord) -> InboundEventLogRead:
        return cls(**dict(InboundEventRead.from_domain(record)), payload=record.payload)
