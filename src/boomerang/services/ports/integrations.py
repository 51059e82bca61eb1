"""Ports: the repositories of integrations, as the use cases see them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, Protocol

from boomerang.domain.integrations import InboundResult, Provider
from boomerang.domain.numbers import NumberKind
from boomerang.domain.queries import CompatReturnFilters, NumberedPage, Page
from boomerang.domain.webhooks import NewDelivery


class Webhooks(Protocol):
    """Webhook subscriptions and their deliveries (the outbox's fan-out)."""

    def add_subscription(self, **values: Any) -> None: ...

    def subscription(self, merchant_id: str, subscription_id: str) -> Any: ...

    def subscriptions(self, merchant_id: str, cursor: str | None, limit: int) -> Page[Any]: ...

    def delete_subscription(self, subscription_id: str, now: datetime) -> None: ...

    def deliveries(self, subscription_id: str, cursor: str | None, limit: int) -> Page[Any]: ...

    def attempts(self, delivery_ids: list[str]) -> dict[str, list[Any]]: ...

    def undispatched_events(self, limit: int) -> list[Any]:
        """Outbox events not yet fanned out, oldest first, locked so other workers skip them."""

    def live_subscriptions(self, merchant_ids: set[str]) -> dict[str, list[Any]]: ...

    def add_dispatched_event(self, **values: Any) -> None:
        """An outbox event already fanned out by hand (a test event meant for one endpoint)."""

    def add_deliveries(self, deliveries: list[NewDelivery]) -> None:
        """Pending deliveries, each due at once."""

    def mark_dispatched(self, event_ids: list[str], now: datetime) -> None: ...

    def claim_due(self, now: datetime, limit: int, lease_until: datetime) -> list[Any]:
        """Due deliveries not leased by another worker; leases them until `lease_until`."""

    def release(self, delivery_ids: list[str]) -> None: ...

    def record_attempt(self, **values: Any) -> None: ...

    def update_delivery(self, delivery_id: str, **values: Any) -> None: ...

    def mark_endpoint_healthy(self, subscription_id: str) -> None: ...

    def mark_endpoint_failing(self, subscription_id: str, now: datetime) -> datetime:
        """Start the failure clock if it is not running; returns when the failures began."""

    def enable_endpoint(self, subscription_id: str) -> None:
        """Deliveries resume with new events; the failure clock starts again from zero."""

    def disable_endpoint(self, subscription_id: str, now: datetime) -> None: ...


class Integrations(Protocol):
    """Platform integrations (AfterShip, Loop): their configuration and the inbound events received."""

    def config(self, merchant_id: str, provider: Provider) -> Any: ...

    def save_config(self, merchant_id: str, provider: Provider, **values: Any) -> None:
        """Insert or replace in one statement, so two first configurations at once cannot both insert."""

    def accepted(self, merchant_id: str, provider: Provider, dedup_key: str) -> Any: ...

    def claim(self, **values: Any) -> bool:
        """Record an accepted event; False when a concurrent delivery of the same event got there first."""

    def add_event(self, **values: Any) -> None: ...

    def set_outcome(self, event_id: str, **values: Any) -> None: ...

    def event(self, event_id: str) -> Any: ...

    def created_return_id(self, merchant_id: str, provider: Provider, external_id: str) -> str | None:
        """The return an earlier event of this portal return created, if any."""

    def events(
        self, merchant_id: str, provider: Provider | None, result: InboundResult | None, cursor: str | None, limit: int
    ) -> Page[Any]: ...


class Numbers(Protocol):
    """The ShipBob mount's integer numbers of our resources, assigned on first use."""

    def numbers(self, kind: NumberKind, owner_id: str, resource_ids: Iterable[str]) -> dict[str, int]:
        """The numbers of `resource_ids`, numbering those that have none yet (in id order)."""

    def resource_ids(self, kind: NumberKind, owner_id: str | None, numbers: Iterable[int]) -> dict[int, str]:
        """Our ids of the numbered resources (unknown numbers are left out); owner None = any owner."""


class CompatReturns(Protocol):
    """The ShipBob mount's reads: numbered pages and outbound tracking numbers, scoped to the caller."""

    def list_page(self, filters: CompatReturnFilters, offset: int, limit: int) -> NumberedPage: ...

    def shipment_tracking_numbers(self, shipment_ids: list[str]) -> dict[str, str]: ...
