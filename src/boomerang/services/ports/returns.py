"""Ports: the repositories of returns, as the use cases see them."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from typing import Protocol

from boomerang.domain.queries import Page, ReturnFilters, WorkOrderFilters
from boomerang.domain.returns import ReturnOrder, ReturnStatus
from boomerang.domain.work_orders import ReservationKey, WorkOrder


class Returns(Protocol):
    """Return orders (aggregates: their events are published on commit), scoped to the caller."""

    def add(self, order: ReturnOrder) -> None: ...

    def get(self, return_id: str, *, for_update: bool = False) -> ReturnOrder:
        """One return; `for_update` locks its row until commit (two operators: one waits)."""

    def reference_in_use(self, merchant_id: str, reference_id: str, exclude_id: str | None = None) -> bool: ...

    def live_return_with_tracking_number(
        self, merchant_id: str, tracking_number: str, exclude_id: str | None = None
    ) -> str | None:
        """The id of a non-cancelled return of the merchant whose tracking number (or label's) is this one."""

    def list(self, filters: ReturnFilters, cursor: str | None, limit: int) -> Page[ReturnOrder]: ...

    def count_by_status(self, filters: ReturnFilters) -> dict[ReturnStatus, int]:
        """How many returns match `filters` (its status aside), per status."""

    def processing_queue(self, fc_id: str, limit: int) -> builtins.list[ReturnOrder]:
        """Arrived and Processing returns at `fc_id` the caller may see, the longest-waiting first."""


class WorkOrders(Protocol):
    """Work orders (aggregates: their events are published on commit), scoped to the caller."""

    def add(self, order: WorkOrder) -> None: ...

    def get(self, work_order_id: str, *, for_update: bool = False) -> WorkOrder:
        """One work order; `for_update` locks its row until commit (two operators: one waits)."""

    def list(self, filters: WorkOrderFilters, cursor: str | None, limit: int) -> Page[WorkOrder]: ...

    def reserved(
        self, merchant_id: str, product_ids: Sequence[str], fulfillment_center_id: str
    ) -> dict[ReservationKey, int]: ...
