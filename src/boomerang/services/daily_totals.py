"""The dashboard's daily totals: kept for finished days by a job, read back for any period.

The Overview's period charts (returns per day, dispositions, units missing, processing times) add up
facts that never change once written: a return's creation, a ledger entry, a completion. So a day's
totals are final once the day is over and no transaction can still be writing into it; the worker's
rollup keeps them per merchant (`daily_totals`), and a period is read as the kept whole days plus the
rows of the days not kept (today, yesterday until the rollup ran, and the first, partial day of the
period). With nothing kept every total comes from the rows, as exact, only slower; the rollup is an
index, not a source of truth.

Every write in the app is stamped with the clock's now, so nothing lands in a finished day. Data
written with earlier timestamps by other means (a restore, a hand-made import) is counted once the
merchant's kept totals are rebuilt: `boomerang dashboard rollup --rebuild`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from boomerang.domain.analytics import DailyTotal, Kept, Metric, Range, Total
from boomerang.services.auth import SYSTEM
from boomerang.services.unit_of_work import UnitOfWork, UnitOfWorkFactory

# A day is kept once it has been over this long: longer than any transaction stamped inside it can run.
SETTLE = timedelta(hours=1)
CHUNK = timedelta(days=30)  # days aggregated and written per transaction (plus the first)


def finished_through(now: datetime) -> date:
    """The last day whose totals are final at `now`."""
    return (now - SETTLE).date() - timedelta(days=1)


def per_day(uow: UnitOfWork, metric: Metric, since: datetime, kept_through: date | None) -> list[DailyTotal]:
    """The merchant's totals of `metric` per day from the moment `since` to now: the days the rollup kept,
    the rest aggregated from the rows. `kept_through` is `uow.dashboard.kept_through()`."""
    return uow.dashboard.daily_totals(metric, *_parts(uow.now, since, None, kept_through))


def summed(
    uow: UnitOfWork,
    metric: Metric,
    since: datetime | None,
    kept_through: date | None,
    until: datetime | None = None,
    **narrowed: Any,
) -> list[Total]:
    """As `per_day`, added up over the days, from `since` (None: the start) to `until` (None: now);
    `narrowed`: `top` or `only`, see `DashboardRepository.summed_totals`."""
    return uow.dashboard.summed_totals(metric, *_parts(uow.now, since, until, kept_through), **narrowed)


def _parts(
    now: datetime, since: datetime | None, until: datetime | None, kept_through: date | None
) -> tuple[list[Range], Kept | None]:
    """[since, until) as the ranges read from the rows and the whole days read from the kept totals."""
    first = None if since is None else since.date() if since == _midnight(since.date()) else _next(since.date())
    last = (until or now).date() - timedelta(days=1)  # the last day wholly before the end
    last_kept = None if kept_through is None else min(kept_through, last)
    if last_kept is None or (first is not None and last_kept < first):
        return [(since, until)], None
    head: list[Range] = (
        [] if since is None or first is None or since == _midnight(first) else [(since, _midnight(first))]
    )
    tail_start = _midnight(_next(last_kept))
    tail: list[Range] = [(tail_start, until)] if until is None or tail_start < until else []
    return [*head, *tail], (first, last_kept)


@dataclass(frozen=True)
class RolledUp:
    merchant_id: str
    first: date | None  # None: the merchant has no returns yet
    through: date
    rows: int


def roll_up(uows: UnitOfWorkFactory, merchant_id: str, *, rebuild: bool = False) -> RolledUp | None:
    """Keep `merchant_id`'s totals of every finished day not kept yet (all of them with `rebuild`); None
    when there is nothing to do, or when another worker is doing it.

    A month at a time: each month's totals are aggregated in a read-only transaction (no write lock
    held while a busy merchant's history is read: SQLite has one writer) and written in a short one
    that first checks the kept days still end where the month begins, so two workers never keep a day
    twice (the second finds the month kept and stops)."""
    with uows(SYSTEM, read_only=True) as uow:
        dashboard = uow.dashboard.of_merchant(merchant_id)
        through = finished_through(uow.now)
        kept = None if rebuild else dashboard.kept_through()
        if kept is not None and kept >= through:
            return None
        first = _next(kept) if kept is not None else dashboard.first_day()
    if rebuild:
        with uows(SYSTEM) as uow:
            uow.locks.daily_totals(merchant_id)
            uow.dashboard.of_merchant(merchant_id).forget_kept()
            uow.commit()
    rows, start, last_kept = 0, first or _next(through), kept
    while True:
        end = min(start + CHUNK, through) if start <= through else through
        with uows(SYSTEM, read_only=True) as uow:
            dashboard = uow.dashboard.of_merchant(merchant_id)
            month = {m: dashboard.daily_totals(m, [(_midnight(start), _midnight(_next(end)))]) for m in Metric}
        with uows(SYSTEM) as uow:
            uow.locks.daily_totals(merchant_id)
            dashboard = uow.dashboard.of_merchant(merchant_id)
            if dashboard.kept_through() != last_kept:
                return None
            for metric, totals in month.items():
                dashboard.keep(metric, totals)
                rows += len(totals)
            dashboard.mark_kept(end, uow.now)
            uow.commit()
        if end >= through:
            return RolledUp(merchant_id, first, through, rows)
        start, last_kept = _next(end), end


def roll_up_due(uows: UnitOfWorkFactory, *, rebuild: bool = False) -> list[RolledUp]:
    """The worker's job: every merchant whose finished days are not all kept."""
    with uows(SYSTEM, read_only=True) as uow:
        behind = uow.dashboard.merchants_behind(date.max if rebuild else finished_through(uow.now))
    done = [roll_up(uows, merchant_id, rebuild=rebuild) for merchant_id in behind]
    return [result for result in done if result is not None]


def _next(day: date) -> date:
    return day + timedelta(days=1)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)
