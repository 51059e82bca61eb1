"""Domain events: what happened to an aggregate, turned into outbox rows by the unit of work."""

from __future__ import annotations

from dataclasses import dataclass

TOPICS = (
    "return.created",
    "return.updated",
    "return.arrived",
    "return.completed",
    "return.cancelled",
    "unidentified.created",
    "work_order.completed",
)


@dataclass(frozen=True)
class DomainEvent:
    topic: str
    resource_type: str
    resource_id: str
