"""The merchant's Overview: counts, returns per day, dispositions, top SKUs, processing times."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from boomerang.domain.analytics import DailyTotal, Metric, Total
from boomerang.domain.inventory import Bucket
from boomerang.domain.returns import ReturnStatus, ReturnType
from boomerang.services import daily_totals
from boomerang.services.unit_of_work import UnitOfWork

PERIODS = (30, 90, 365)
PROCESSING_TARGET_BUSINESS_DAYS = 10
MONTH = timedelta(days=30)  # the top SKUs compare the last 30 days with the 30 before
DISPOSITION_OF_BUCKET = {Bucket.Sellable: "Restock", Bucket.Quarantine: "Quarantine", Bucket.Disposed: "Dispose"}


@dataclass(frozen=True)
class DayCount:
    day: date
    regular: int
    rts: int


@dataclass(frozen=True)
class SkuTrend:
    sku: str
    name: str
    last_30_days: int
    previous_30_days: int

    @property
    def change(self) -> int:
        return self.last_30_days - self.previous_30_days


@dataclass(frozen=True)
class ProcessingTime:
    fulfillment_center: str
    completed: int
    median_hours: float
    p90_hours: float


@dataclass(frozen=True)
class Overview:
    days: int
    counts_by_status: dict[ReturnStatus, int]
    per_day: list[DayCount]
    dispositions: dict[str, int]
    top_skus: list[SkuTrend]
    processing_times: list[ProcessingTime]
    overdue: int
    unconfigured_products: int
    quarantined_units: int


def load_overview(uow: UnitOfWork, *, days: int) -> Overview:
    """Everything the Overview shows, for the last `days` days."""
    days = days if days in PERIODS else PERIODS[0]
    now = uow.now
    since = now - timedelta(days=days)
    fc_names = {fc.id: fc.name for fc in uow.tenants.fulfillment_centers()}
    kept_through = uow.dashboard.kept_through()

    def period(metric: Metric) -> list[Total]:
        return daily_totals.summed(uow, metric, since, kept_through)

    return Overview(
        days=days,
        counts_by_status=_counts_by_status(uow, kept_through),
        per_day=_per_day(daily_totals.per_day(uow, Metric.ReturnsCreated, since, kept_through), since, now),
        dispositions=_dispositions(period(Metric.UnitsIntoBucket), period(Metric.UnitsExpectedCompleted)),
        top_skus=_top_skus(uow, now, kept_through),
        processing_times=_processing_times(period(Metric.ProcessingHours), fc_names),
        overdue=uow.dashboard.overdue_count(business_days_before(now, PROCESSING_TARGET_BUSINESS_DAYS)),
        unconfigured_products=uow.dashboard.unconfigured_products(),
        quarantined_units=uow.dashboard.quarantined_units(),
    )


def _per_day(created: list[DailyTotal], since: datetime, now: datetime) -> list[DayCount]:
    counts = Counter[tuple[date, str]]()
    for total in created:
        counts[total.day, total.key] += total.value
    first = since.date() + timedelta(days=1)
    out = []
    for offset in range((now.date() - first).days + 1):
        day = first + timedelta(days=offset)
        out.append(
            DayCount(
                day,
                counts.get((day, ReturnType.Regular.value), 0),
                counts.get((day, ReturnType.ReturnToSender.value), 0),
            )
        )
    return out


def _dispositions(into_bucket: list[Total], expected_on_completed: list[Total]) -> dict[str, int]:
    by_bucket = Counter[str]()
    for total in into_bucket:
        by_bucket[total.key] += total.value
    out = {label: by_bucket[bucket.value] for bucket, label in DISPOSITION_OF_BUCKET.items()}
    out["Missing"] = max(sum(t.value for t in expected_on_completed) - sum(out.values()), 0)
    return out


def _counts_by_status(uow: UnitOfWork, kept_through: date | None) -> dict[ReturnStatus, int]:
    """Completed is final and most returns end there: counted from the kept completions per day (and the
    rows since), the few other statuses from the index."""
    counts = uow.dashboard.counts_by_status_but(ReturnStatus.Completed)
    completed = sum(t.value for t in daily_totals.summed(uow, Metric.ReturnsCompleted, None, kept_through))
    return {**counts, ReturnStatus.Completed: completed} if completed else counts


def _top_skus(uow: UnitOfWork, now: datetime, kept_through: date | None, limit: int = 10) -> list[SkuTrend]:
    """SKUs by units on the returns created in the last 30 days, with the 30 days before."""
    last_30 = daily_totals.summed(uow, Metric.UnitsBySku, now - MONTH, kept_through, until=now, top=limit)
    top = [t for t in last_30 if t.value]
    if not top:
        return []
    pairs = [(t.key, t.label) for t in top]
    previous = daily_totals.summed(uow, Metric.UnitsBySku, now - 2 * MONTH, kept_through, until=now - MONTH, only=pairs)
    before = {(t.key, t.label): t.value for t in previous}
    return [SkuTrend(t.key, t.label, t.value, before.get((t.key, t.label), 0)) for t in top]


def _processing_times(completed: list[Total], fc_names: dict[str, str]) -> list[ProcessingTime]:
    """Median and 90th percentile per FC, from the completions' histogram of whole hours."""
    histograms: dict[str, Counter[int]] = {}
    for total in completed:
        histograms.setdefault(total.key, Counter())[total.hours] += total.value
    return [
        ProcessingTime(
            fc_names.get(fc_id, fc_id), sum(h.values()), float(percentile(h, 0.5)), float(percentile(h, 0.9))
        )
        for fc_id, h in sorted(histograms.items())
    ]


def percentile(histogram: dict[int, int], fraction: float) -> int:
    """The smallest value with at least `fraction` of the counts at or below it (whole hours)."""
    total = sum(histogram.values())
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= fraction * total:
            return value
    return max(histogram, default=0)


def business_days_before(moment: datetime, business_days: int) -> datetime:
    """The moment `business_days` working days (Monday to Friday) before `moment`."""
    current = moment
    left = business_days
    while left:
        current -= timedelta(days=1)
        if current.weekday() < 5:
            left -= 1
    return current
