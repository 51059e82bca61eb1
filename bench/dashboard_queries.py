"""Row 6: the dashboard's Overview (status counts, returns per day, dispositions, top SKUs, processing
times, overdue, unconfigured products, quarantined units) for the big merchant, through the read model
the page uses (`load_overview` in a read-only unit of work), against the same aggregates in hand-written
SQL through the same driver; calls interleaved so that the box's noise hits both sides alike. Both read
the daily totals the worker's rollup kept (run first, timed); the aggregates from the rows alone are
measured beside them, for the record."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from typing import Any

from bench.harness import Result, Stats, progress, ratio
from bench.raw import Raw
from boomerang.adapters.db import make_engine, make_session_factory
from boomerang.bootstrap import make_uow_factory
from boomerang.domain.tenants import Principal, Role
from boomerang.services import daily_totals
from boomerang.services.read_models.overview import (
    PROCESSING_TARGET_BUSINESS_DAYS,
    business_days_before,
    load_overview,
)

PERIODS = (30, 365)


def _hours(raw: Raw) -> str:
    if raw.postgres:
        return "floor(extract(epoch FROM completed_date - arrived_date) / 3600)"
    return "floor((julianday(completed_date) - julianday(arrived_date)) * 24)"


def raw_overview(raw: Raw, merchant_id: str, days: int, *, kept: bool = True) -> list[Any]:
    """The Overview's aggregates by hand, one statement each as the read model issues them: finished days
    from the kept daily totals (as far as they go), the rest from the rows. With `kept=False`, everything
    from the rows (what the Overview did before the daily totals)."""
    now = datetime.now(UTC).replace(tzinfo=None)
    since = now - timedelta(days=days)
    overdue_before = business_days_before(now, PROCESSING_TARGET_BUSINESS_DAYS)
    m = [merchant_id]
    mark = raw.all("SELECT through_day FROM daily_totals_marks WHERE merchant_id = ?", m) if kept else []
    last_kept = min(_day(mark[0][0]), now.date() - timedelta(days=1)) if mark else None
    window = _Window(raw, merchant_id, last_kept)
    month = timedelta(days=30)
    top = raw.all(*window.summed("units_by_sku", now - month, now, suffix=" ORDER BY 4 DESC, 1, 2 LIMIT 10"))
    pairs = " OR ".join("(key = ? AND label = ?)" for _ in top) or "1 = 0"
    previous = window.summed("units_by_sku", now - 2 * month, now - month, suffix="", where=pairs)
    return [
        raw.all("SELECT id, name FROM fulfillment_centers ORDER BY id"),
        raw.all(
            "SELECT status, count(*) FROM return_orders WHERE merchant_id = ?"
            " AND status IN ('AwaitingArrival', 'Arrived', 'Processing', 'Cancelled') GROUP BY status",
            m,
        ),
        raw.all(*window.summed("returns_completed", None, None)),
        raw.all(*window.union("returns_created", since, None)),
        *(raw.all(*window.summed(metric, since, None)) for metric in _PERIOD_SUMS),
        top,
        raw.all(previous[0], previous[1] + [v for row in top for v in row[:2]]),
        raw.all(
            "SELECT count(*) FROM return_orders WHERE merchant_id = ? AND status IN ('Arrived', 'Processing')"
            " AND arrived_date < ?",
            [merchant_id, overdue_before],
        ),
        raw.all("SELECT count(*) FROM products WHERE merchant_id = ? AND preferences_configured = ?", [*m, False]),
        raw.all(
            "SELECT coalesce(sum(quantity), 0) FROM ledger_entries WHERE merchant_id = ? AND bucket = 'Quarantine'", m
        ),
    ]


_PERIOD_SUMS = ("units_into_bucket", "units_expected_completed", "processing_hours")
_ROWS = {  # (day, key, label, hours, value) per day from the rows, and the moment the period bounds
    "returns_created": (
        "SELECT date(insert_date) AS day, return_type AS key, '' AS label,"
        " 0 AS hours, count(*) AS value FROM return_orders"
        " WHERE merchant_id = ? AND {range} GROUP BY date(insert_date), return_type",
        "insert_date",
    ),
    "units_by_sku": (
        "SELECT date(r.insert_date) AS day, l.sku AS key, l.name AS label,"
        " 0 AS hours, sum(l.quantity) AS value FROM return_lines l"
        " JOIN return_orders r ON r.id = l.return_id WHERE r.merchant_id = ? AND {range}"
        " GROUP BY date(r.insert_date), l.sku, l.name",
        "r.insert_date",
    ),
    "units_into_bucket": (
        "SELECT date(created_at) AS day, bucket AS key, '' AS label,"
        " 0 AS hours, sum(quantity) AS value FROM ledger_entries WHERE merchant_id = ?"
        " AND bucket IN ('Sellable', 'Quarantine', 'Disposed', 'Shipped') AND return_id IS NOT NULL"
        " AND quantity > 0 AND {range} GROUP BY date(created_at), bucket",
        "created_at",
    ),
    "returns_completed": (
        "SELECT date(completed_date) AS day, '' AS key, '' AS label, 0 AS hours, count(*) AS value FROM return_orders"
        " WHERE merchant_id = ? AND status = 'Completed' AND {range} GROUP BY date(completed_date)",
        "completed_date",
    ),
    "units_expected_completed": (
        "SELECT date(r.completed_date) AS day, '' AS key, '' AS label,"
        " 0 AS hours, coalesce(sum(l.quantity), 0) AS value FROM return_lines l"
        " JOIN return_orders r ON r.id = l.return_id"
        " WHERE r.merchant_id = ? AND r.status = 'Completed' AND {range} GROUP BY date(r.completed_date)",
        "r.completed_date",
    ),
    "processing_hours": (
        "SELECT date(completed_date) AS day, fulfillment_center_id AS key, '' AS label,"
        " {hours} AS hours, count(*) AS value FROM return_orders"
        " WHERE merchant_id = ? AND status = 'Completed' AND arrived_date IS NOT NULL AND {range}"
        " GROUP BY date(completed_date), fulfillment_center_id, {hours}",
        "completed_date",
    ),
}


@dataclass(frozen=True)
class _Window:
    """A metric's totals of [start, end) as one statement: the rows of the days not kept (the partial
    first day, the days after the last kept one) UNION ALL the kept days."""

    raw: Raw
    merchant_id: str
    last_kept: date | None

    def union(self, metric: str, start: datetime | None, end: datetime | None) -> tuple[str, list[Any]]:
        first = None if start is None else start.date() + timedelta(days=1)
        last = (
            None
            if self.last_kept is None
            else min(self.last_kept, (end.date() if end else date.max) - timedelta(days=1))
        )
        if last is None or (first is not None and last < first):
            return self._rows(metric, start, end)
        parts = [self._rows(metric, start, datetime.combine(first, clock_time.min))] if start and first else []
        kept = "SELECT day, key, label, hours, value FROM daily_totals WHERE merchant_id = ? AND metric = ?"
        kept += " AND day <= ?" + ("" if first is None else " AND day >= ?")
        parts.append(
            (kept, [self.merchant_id, metric, last.isoformat()] + ([] if first is None else [first.isoformat()]))
        )
        tail = datetime.combine(last + timedelta(days=1), clock_time.min)
        if end is None or tail < end:
            parts.append(self._rows(metric, tail, end))
        return " UNION ALL ".join(sql for sql, _ in parts), [p for _, params in parts for p in params]

    def summed(
        self, metric: str, start: datetime | None, end: datetime | None, suffix: str = "", where: str = "1 = 1"
    ) -> tuple[str, list[Any]]:
        sql, params = self.union(metric, start, end)
        summed = f"SELECT key, label, hours, sum(value) FROM ({sql}) t"
        return f"{summed} WHERE {where} GROUP BY key, label, hours{suffix}", params

    def _rows(self, metric: str, start: datetime | None, end: datetime | None) -> tuple[str, list[Any]]:
        sql, moment = _ROWS[metric]
        bounds = (
            " AND ".join([f"{moment} >= ?"] * (start is not None) + [f"{moment} < ?"] * (end is not None)) or "1 = 1"
        )
        params = [self.merchant_id] + [t for t in (start, end) if t is not None]
        return sql.format(range=bounds, hours=_hours(self.raw)), params


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def row6(kind: str, url: str, merchant_id: str, repeat: int) -> list[Result]:
    """Both periods, after the worker's rollup has kept the finished days (its time is reported)."""
    engine = make_engine(url)
    uows = make_uow_factory(make_session_factory(engine))
    principal = Principal(Role.Merchant, credential_id="bench", name="bench", merchant_id=merchant_id)
    raw = Raw(url)
    results = []
    try:
        started = time.perf_counter()
        rolled = daily_totals.roll_up_due(uows)
        rollup = f"rollup of {len(rolled)} merchants' history {time.perf_counter() - started:.1f} s"
        for days in PERIODS:

            def app_call(days: int = days) -> None:
                with uows(principal, read_only=True, may_lag=True) as uow:
                    load_overview(uow, days=days)

            def raw_call(days: int = days) -> None:
                raw_overview(raw, merchant_id, days)

            def all_rows(days: int = days) -> None:
                raw_overview(raw, merchant_id, days, kept=False)

            app_stats, raw_stats = _interleaved(f"{kind} overview {days} d", app_call, raw_call, repeat)
            rows_stats, _ = _interleaved(f"{kind} overview {days} d, all rows", all_rows, lambda: None, repeat // 4)
            figure = ratio(app_stats.p95, raw_stats.p95)
            met = figure <= 2 and app_stats.p95 <= 0.3
            detail = f"read model {app_stats.ms()}; raw {raw_stats.ms()}; raw from the rows only {rows_stats.ms()}"
            workload = f"dashboard Overview, {days} days: p95 vs raw"
            results.append(Result("6", kind, workload, figure, "≤ 2×, ≤ 300 ms", met, f"{detail}; {rollup}"))
    finally:
        raw.close()
        engine.dispose()
    return results


def _interleaved(label: str, app: Callable[[], None], raw: Callable[[], None], repeat: int) -> tuple[Stats, Stats]:
    for _ in range(3):
        app()
        raw()
    stats = (Stats(), Stats())
    with progress() as bar:
        task = bar.add_task(label, total=repeat)
        for _ in range(repeat):
            for side, call in zip(stats, (app, raw), strict=True):
                started = time.perf_counter()
                call()
                side.add(time.perf_counter() - started)
            bar.advance(task)
    return stats
