"""Row 6: the dashboard's Overview (status counts, returns per day, dispositions, top SKUs, processing
times, overdue, unconfigured products, quarantined units) for the big merchant, through the read model
the page uses (`load_overview` in a read-only unit of work), against the same aggregates in hand-written
SQL through the same driver; calls interleaved so that the box's noise hits both sides alike."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.harness import Result, Stats, progress, ratio
from bench.raw import Raw
from boomerang.adapters.db import make_engine, make_session_factory
from boomerang.bootstrap import make_uow_factory
from boomerang.domain.tenants import Principal, Role
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


def raw_overview(raw: Raw, merchant_id: str, days: int) -> list[Any]:
    """The Overview's aggregates by hand: one statement each, as the read model issues them."""
    now = datetime.now(UTC).replace(tzinfo=None)
    since = now - timedelta(days=days)
    overdue_before = business_days_before(now, PROCESSING_TARGET_BUSINESS_DAYS)
    m = [merchant_id]
    return [
        raw.all("SELECT id, name FROM fulfillment_centers ORDER BY id"),
        raw.all("SELECT status, count(*) FROM return_orders WHERE merchant_id = ? GROUP BY status", m),
        raw.all(
            "SELECT date(insert_date), return_type, count(*) FROM return_orders"
            " WHERE merchant_id = ? AND insert_date >= ? GROUP BY date(insert_date), return_type",
            [merchant_id, since],
        ),
        raw.all(
            "SELECT bucket, sum(quantity) FROM ledger_entries WHERE merchant_id = ?"
            " AND bucket IN ('Sellable', 'Quarantine', 'Disposed', 'Shipped') AND return_id IS NOT NULL"
            " AND quantity > 0 AND created_at >= ? GROUP BY bucket",
            [merchant_id, since],
        ),
        raw.all(
            "SELECT coalesce(sum(l.quantity), 0) FROM return_lines l JOIN return_orders r ON r.id = l.return_id"
            " WHERE r.merchant_id = ? AND r.status = 'Completed' AND r.completed_date >= ?",
            [merchant_id, since],
        ),
        raw.all(
            "SELECT l.sku, l.name, sum(CASE WHEN r.insert_date >= ? THEN l.quantity ELSE 0 END) AS recent,"
            " sum(CASE WHEN r.insert_date < ? THEN l.quantity ELSE 0 END) AS previous"
            " FROM return_lines l JOIN return_orders r ON r.id = l.return_id"
            " WHERE r.merchant_id = ? AND r.insert_date >= ? AND r.insert_date < ?"
            " GROUP BY l.sku, l.name ORDER BY recent DESC, l.sku LIMIT 10",
            [now - timedelta(days=30), now - timedelta(days=30), merchant_id, now - timedelta(days=60), now],
        ),
        raw.all(
            f"SELECT fulfillment_center_id, {_hours(raw)}, count(*) FROM return_orders"
            " WHERE merchant_id = ? AND status = 'Completed' AND completed_date >= ? AND arrived_date IS NOT NULL"
            f" GROUP BY fulfillment_center_id, {_hours(raw)}",
            [merchant_id, since],
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


def row6(kind: str, url: str, merchant_id: str, repeat: int) -> list[Result]:
    engine = make_engine(url)
    uows = make_uow_factory(make_session_factory(engine))
    principal = Principal(Role.Merchant, credential_id="bench", name="bench", merchant_id=merchant_id)
    raw = Raw(url)
    results = []
    try:
        for days in PERIODS:

            def app_call(days: int = days) -> None:
                with uows(principal, read_only=True, may_lag=True) as uow:
                    load_overview(uow, days=days)

            def raw_call(days: int = days) -> None:
                raw_overview(raw, merchant_id, days)

            app_stats, raw_stats = _interleaved(f"{kind} overview {days} d", app_call, raw_call, repeat)
            figure = ratio(app_stats.p95, raw_stats.p95)
            met = figure <= 2 and app_stats.p95 <= 0.3
            detail = f"read model {app_stats.ms()}; raw {raw_stats.ms()}"
            workload = f"dashboard Overview, {days} days: p95 vs raw"
            results.append(Result("6", kind, workload, figure, "≤ 2×, ≤ 300 ms", met, detail))
    finally:
        raw.close()
        engine.dispose()
    return results


def _interleaved(label: str, app: Callable[[], None], raw: Callable[[], None], repeat: int) -> tuple[Stats, Stats]:
    import time

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
