"""Daily totals behind the dashboard's charts: what happened for a merchant on one UTC day.

Each total counts facts that never change once written (a return's creation, a ledger entry, a
completion), so the totals of a finished day are final: they can be kept (rolled up) instead of
aggregated again from the rows on every Overview.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

Range = tuple[datetime | None, datetime | None]  # [start, end) of the moments rows were written; None: open
Kept = tuple[date | None, date]  # the first (None: from the start) and last days read from the kept totals


class Metric(StrEnum):
    ReturnsCreated = "returns_created"  # key: the return type; value: returns created
    UnitsIntoBucket = "units_into_bucket"  # key: the bucket; value: units returns moved into it
    UnitsExpectedCompleted = "units_expected_completed"  # value: units expected on the returns completed
    ProcessingHours = "processing_hours"  # key: the FC, hours: arrival to completion; value: returns completed
    ReturnsCompleted = "returns_completed"  # value: returns completed (Completed is final)
    UnitsBySku = "units_by_sku"  # key: the SKU, label: its name on the lines; value: units on returns created


@dataclass(frozen=True)
class Total:
    key: str
    label: str
    hours: int
    value: int


@dataclass(frozen=True)
class DailyTotal(Total):
    day: date
