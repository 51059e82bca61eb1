"""Ports: the repositories of billing, as the use cases see them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol

from boomerang.domain.analytics import DailyTotal, Kept, Metric, Range, Total
from boomerang.domain.billing import FeeSchedule, Transaction, TransactionType
from boomerang.domain.queries import Page, TransactionFilters
from boomerang.domain.returns import ReturnStatus


class Billing(Protocol):
    """Fee schedules and the billing transactions charged to merchants."""

    def fee_schedule(self, merchant_id: str) -> FeeSchedule | None: ...

    def save_fee_schedule(self, schedule: FeeSchedule) -> None: ...

    def add_transaction(self, tx: Transaction) -> bool:
        """Append a transaction; with a `dedup_key` already charged, nothing is added (returns False)."""

    def charged_dedup_keys(self, prefix: str) -> set[str]:
        """Dedup keys already charged that start with `prefix` (a fee run's keys)."""

    def list_transactions(
        self, merchant_id: str, filters: TransactionFilters, cursor: str | None, limit: int
    ) -> Page[Transaction]:
        """A merchant's transactions, newest first."""

    def totals_by_type(
        self, merchant_id: str, start: datetime, end: datetime
    ) -> list[tuple[TransactionType, int, Decimal]]:
        """(transaction_type, count, amount) for transactions created in [start, end)."""

    def transactions_for_returns(self, return_ids: list[str]) -> list[Transaction]: ...

    def transactions_between(self, merchant_id: str, start: datetime, end: datetime) -> list[Any]: ...


class Dashboard(Protocol):
    """The aggregates the dashboard and the daily-totals rollup read, scoped to the caller."""

    def of_merchant(self, merchant_id: str) -> Dashboard:
        """The same aggregates for `merchant_id`: for the system's jobs (the rollup), not a merchant's."""

    def merchants_behind(self, through_day: date) -> list[str]:
        """Merchants whose kept totals stop before `through_day` (or who have none), in id order."""

    def daily_totals(self, metric: Metric, ranges: Sequence[Range], kept: Kept | None = None) -> list[DailyTotal]: ...

    def summed_totals(
        self,
        metric: Metric,
        ranges: Sequence[Range],
        kept: Kept | None = None,
        *,
        top: int | None = None,
        only: Sequence[tuple[str, str]] | None = None,
    ) -> list[Total]: ...

    def counts_by_status_but(self, left_out: ReturnStatus) -> dict[ReturnStatus, int]:
        """The merchant's returns per status, `left_out` aside (the index reads the other statuses only)."""

    def first_day(self) -> date | None:
        """The day of the merchant's first return (every fact the totals count comes on or after it)."""

    def kept_through(self) -> date | None:
        """The last day whose totals the rollup kept for the merchant (None: none kept)."""

    def keep(self, metric: Metric, rows: list[DailyTotal]) -> None:
        """Keep `rows` as the metric's totals of their days (days not kept before: see `kept_through`)."""

    def mark_kept(self, through_day: date, at: datetime) -> None: ...

    def forget_kept(self) -> None:
        """Drop the merchant's kept totals: the next rollup aggregates its whole history again."""

    def overdue_count(self, arrived_before: datetime) -> int: ...

    def unconfigured_products(self) -> int: ...

    def quarantined_units(self) -> int: ...

    def quarantine_positions(self) -> list[Any]:
        """Quarantined units per product, FC and lot, with when the first of them arrived."""

    def fees_of_return(self, return_id: str) -> list[Any]: ...


class RowLocks(Protocol):
    """Row locks taken in one order (primary-key order), so two transactions never deadlock."""

    def products(self, product_ids: Iterable[str]) -> None: ...

    def daily_totals(self, merchant_id: str) -> None: ...
