"""Domain events: what happened to an aggregate, turned into outbox rows by the unit of work."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Topic(StrEnum):
    """The webhook topics merchants subscribe to: the one list, used by the domain and the API schema."""

    ReturnCreated = "return.created"
    ReturnUpdated = "return.updated"
    ReturnArrived = "return.arrived"
    ReturnCompleted = "return.completed"
    ReturnCancelled = "return.cancelled"
    # Sent to the merchant once a package that matched nothing at the dock is linked to one of its
    # returns (before that the package belongs to no merchant); the payload is the package.
    UnidentifiedCreated = "unidentified.created"
    WorkOrderCompleted = "work_order.completed"


TOPICS: tuple[str, ...] = tuple(topic.value for topic in Topic)


@dataclass(frozen=True)
class DomainEvent:
    topic: str
    resource_type: str
    resource_id: str
