"""Row 6: the dashboard's Overview (status counts, returns per day, dispositions, top SKUs, processing
times, overdue, unconfigured products, quarantined units) for the big merchant, through the read model
the page uses (`load_overview` in a read-only unit of work), against the same aggregates in hand-written
SQL through the same driver; calls interleaved so that the box's noise hits both sides alike. Both read
the daily totals the worker's rollup kept (run first, timed); the aggregates from the rows alone are
measured beside them, for the record."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from typing import Any

from bench.harness import Result, Stats, progress, ratio
from bench.raw import Raw
from boomerang.adapters.db import make_engine, make_session_factory
from boomerang.bootstrap import make_uow_factory
from boomerang.domain.tenants import Principal, Role
from boomerang.services import daily_totals
from boomerang.services.auth import SYSTEM
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
    """The Overview's aggregates by hand, one statement each as the read model issues them: the period's
    finished days from the kept daily totals (as far as they go), the rest from the rows. With
    `kept=False`, every period aggregate from the rows (what the Overview did before the totals)."""
    now = datetime.now(UTC).replace(tzinfo=None)
    since = now - timedelta(days=days)
    overdue_before = business_days_before(now, PROCESSING_TARGET_BUSINESS_DAYS)
    m = [merchant_id]
    return [
        raw.all("SELECT id, name FROM fulfillment_centers ORDER BY id"),
        raw.all("SELECT status, count(*) FROM return_orders WHERE merchant_id = ? GROUP BY status", m),
        *_period(raw, merchant_id, since, now, kept),
        raw.all(
            "SELECT l.sku, l.name, sum(CASE WHEN r.insert_date >= ? THEN l.quantity ELSE 0 END) AS recent,"
            " sum(CASE WHEN r.insert_date < ? THEN l.quantity ELSE 0 END) AS previous"
            " FROM return_lines l JOIN return_orders r ON r.id = l.return_id"
            " WHERE r.merchant_id = ? AND r.insert_date >= ? AND r.insert_date < ?"
            " GROUP BY l.sku, l.name ORDER BY recent DESC, l.sku LIMIT 10",
            [now - timedelta(days=30), now - timedelta(days=30), merchant_id, now - timedelta(days=60), now],
        ),
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


def _period(raw: Raw, merchant_id: str, since: datetime, now: datetime, kept: bool) -> list[Any]:
    """The four period aggregates per day: kept days from `daily_totals`, the head and tail from rows."""
    mark = raw.all("SELECT through_day FROM daily_totals_marks WHERE merchant_id = ?", [merchant_id]) if kept else []
    first_whole = since.date() + timedelta(days=1)
    last_kept = min(_day(mark[0][0]), now.date() - timedelta(days=1)) if mark else None
    if last_kept is None or last_kept < first_whole:
        return [_rows(raw, merchant_id, metric, since, None) for metric in _ROWS]
    head_end = datetime.combine(first_whole, clock_time.min)
    tail_start = datetime.combine(last_kept + timedelta(days=1), clock_time.min)
    out = []
    for metric in _ROWS:
        out.append(_rows(raw, merchant_id, metric, since, head_end))
        out.append(
            raw.all(
                "SELECT day, key, hours, value FROM daily_totals"
                " WHERE merchant_id = ? AND metric = ? AND day >= ? AND day <= ?",
                [merchant_id, metric, first_whole.isoformat(), last_kept.isoformat()],
            )
        )
        out.append(_rows(raw, merchant_id, metric, tail_start, None))
    return out


_ROWS = {
    "returns_created": (
        "SELECT date(insert_date), return_type, 0, count(*) FROM return_orders"
        " WHERE merchant_id = ? AND {range} GROUP BY date(insert_date), return_type",
        "insert_date",
    ),
    "units_into_bucket": (
        "SELECT date(created_at), bucket, 0, sum(quantity) FROM ledger_entries WHERE merchant_id = ?"
        " AND bucket IN ('Sellable', 'Quarantine', 'Disposed', 'Shipped') AND return_id IS NOT NULL"
        " AND quantity > 0 AND {range} GROUP BY date(created_at), bucket",
        "created_at",
    ),
    "units_expected_completed": (
        "SELECT date(r.completed_date), '', 0, coalesce(sum(l.quantity), 0) FROM return_lines l"
        " JOIN return_orders r ON r.id = l.return_id"
        " WHERE r.merchant_id = ? AND r.status = 'Completed' AND {range} GROUP BY date(r.completed_date)",
        "r.completed_date",
    ),
    "processing_hours": (
        "SELECT date(completed_date), fulfillment_center_id, {hours}, count(*) FROM return_orders"
        " WHERE merchant_id = ? AND status = 'Completed' AND arrived_date IS NOT NULL AND {range}"
        " GROUP BY date(completed_date), fulfillment_center_id, {hours}",
        "completed_date",
    ),
}


def _rows(raw: Raw, merchant_id: str, metric: str, start: datetime, end: datetime | None) -> list[Any]:
    sql, moment = _ROWS[metric]
    bounds = f"{moment} >= ?" + ("" if end is None else f" AND {moment} < ?")
    params = [merchant_id, start] + ([] if end is None else [end])
    return raw.all(sql.format(range=bounds, hours=_hours(raw)), params)


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
        rolled = daily_totals.roll_up_due(lambda: uows(SYSTEM))
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
