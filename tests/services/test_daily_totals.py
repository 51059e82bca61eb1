"""The dashboard's kept daily totals (services/daily_totals.py), on both databases: an Overview read
through them equals the Overview aggregated from the rows, whatever the period, the moment and how far
the totals were kept; a day is kept only once it is over; the job is idempotent and one at a time."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, case, func, select
from sqlalchemy.orm import Session, sessionmaker

from boomerang.adapters.repositories.dashboard import DashboardRepository
from boomerang.adapters.tables import core
from boomerang.adapters.tables.analytics import daily_totals, daily_totals_marks
from boomerang.adapters.tables.core import fulfillment_centers, products
from boomerang.adapters.tables.ledger import ledger_entries
from boomerang.bootstrap import make_uow_factory
from boomerang.domain.analytics import Metric
from boomerang.domain.returns import ReturnStatus
from boomerang.domain.tenants import Principal, Role
from boomerang.sample.bench_seed import SeedSpec, seed
from boomerang.services import daily_totals as service
from boomerang.services import returns
from boomerang.services.read_models.overview import DISPOSITION_OF_BUCKET, PERIODS, Overview, load_overview, percentile
from boomerang.services.returns import LineRequest
from tests.support.builders import FrozenClock

# The bench seed commits and runs VACUUM ANALYZE outside a transaction; one test rolls up from threads.
pytestmark = pytest.mark.several_connections


def _overview(session_factory: sessionmaker[Session], merchant_id: str, days: int, at: datetime) -> Overview:
    principal = Principal(Role.Merchant, credential_id="t", name="t", merchant_id=merchant_id)
    with make_uow_factory(session_factory, clock=FrozenClock(at))(principal, read_only=True) as uow:
        return load_overview(uow, days=days)


def _roll_up(session_factory: sessionmaker[Session], at: datetime, rebuild: bool = False) -> list[service.RolledUp]:
    factory = make_uow_factory(session_factory, clock=FrozenClock(at))
    return service.roll_up_due(factory, rebuild=rebuild)


def _forget(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(daily_totals.delete())
        conn.execute(daily_totals_marks.delete())


@pytest.fixture
def seeded(engine: Engine) -> tuple[str, datetime]:
    """A data set over the last ~2 years (returns in every status, ledger entries, completions) and its
    busiest merchant; the seed is relative to the real now."""
    summary = seed(engine, SeedSpec(returns=600, merchants=3))
    return summary.merchant_ids[0], datetime.now(UTC)


def test_overview_from_kept_totals_equals_the_overview_from_the_rows(
    engine: Engine, session_factory: sessionmaker[Session], seeded: tuple[str, datetime]
) -> None:
    merchant_id, now = seeded
    live = {days: _overview(session_factory, merchant_id, days, now) for days in PERIODS}
    assert live[365].per_day and sum(live[365].dispositions.values()) > 0 and live[365].processing_times

    done = _roll_up(session_factory, now)

    assert len(done) == 3 and all(r.through == service.finished_through(now) and r.rows for r in done)
    assert all(r.first is not None and r.first < now.date() - timedelta(days=365) for r in done)  # whole history
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(daily_totals)).scalar_one() > 0
    for days in PERIODS:
        assert _overview(session_factory, merchant_id, days, now) == live[days]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    kept_at=st.integers(min_value=0, max_value=400 * 24),
    read_after=st.integers(min_value=0, max_value=72),
    days=st.sampled_from(PERIODS),
)
def test_any_mix_of_kept_days_and_rows_gives_the_same_overview(
    engine: Engine,
    session_factory: sessionmaker[Session],
    seeded: tuple[str, datetime],
    kept_at: int,
    read_after: int,
    days: int,
) -> None:
    """Totals kept at some past moment (hours ago), the Overview read some hours later: the kept days
    are those finished at the rollup, the rest (head of the period, days since the rollup) from rows."""
    merchant_id, now = seeded
    rolled_at = now - timedelta(hours=kept_at, minutes=17)
    read_at = min(rolled_at + timedelta(hours=read_after, minutes=31), now)
    _forget(engine)
    live = _overview(session_factory, merchant_id, days, read_at)
    _roll_up(session_factory, rolled_at)
    assert _overview(session_factory, merchant_id, days, read_at) == live


def test_a_day_is_kept_only_once_it_is_over(
    engine: Engine, session_factory: sessionmaker[Session], seeded: tuple[str, datetime]
) -> None:
    shortly_after_midnight = datetime(2026, 12, 7, 0, 30, tzinfo=UTC)
    assert service.finished_through(shortly_after_midnight) == date(2026, 12, 5)  # the 6th may still be written
    assert service.finished_through(datetime(2026, 12, 7, 1, 0, tzinfo=UTC)) == date(2026, 12, 6)
    _, now = seeded
    _roll_up(session_factory, now)
    with engine.connect() as conn:
        last_day = conn.execute(select(func.max(daily_totals.c.day))).scalar_one()
        marks = conn.execute(select(daily_totals_marks.c.through_day)).scalars().all()
    assert date.fromisoformat(str(last_day)[:10]) < now.date()
    assert {date.fromisoformat(str(m)[:10]) for m in marks} == {service.finished_through(now)}


def test_rolling_up_again_adds_nothing_and_a_rebuild_keeps_the_same_totals(
    engine: Engine, session_factory: sessionmaker[Session], seeded: tuple[str, datetime]
) -> None:
    _, now = seeded
    _roll_up(session_factory, now - timedelta(days=30))
    caught_up = _roll_up(session_factory, now)  # the 30 days since: only those are aggregated
    assert caught_up and all(
        r.first == service.finished_through(now - timedelta(days=30)) + timedelta(days=1) for r in caught_up
    )
    kept = _all_totals(engine)
    assert _roll_up(session_factory, now) == []
    assert _all_totals(engine) == kept
    assert len(_roll_up(session_factory, now, rebuild=True)) == 3
    assert _all_totals(engine) == kept


def _all_totals(engine: Engine) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        rows = conn.execute(select(daily_totals).order_by(*daily_totals.primary_key.columns)).all()
    return [tuple(row) for row in rows]


def test_returns_written_after_the_rollup_count_in_the_overview(
    engine: Engine, session_factory: sessionmaker[Session], seeded: tuple[str, datetime]
) -> None:
    """Today is always read from the rows: a return created after the rollup shows at once."""
    merchant_id, now = seeded
    _roll_up(session_factory, now)
    before = _overview(session_factory, merchant_id, 30, now)
    with engine.connect() as conn:
        sku = conn.execute(select(products.c.sku).where(products.c.merchant_id == merchant_id).limit(1)).scalar_one()
        fc_id = conn.execute(select(fulfillment_centers.c.id).limit(1)).scalar_one()
    principal = Principal(Role.Merchant, credential_id="t", name="t", merchant_id=merchant_id)
    with make_uow_factory(session_factory, clock=FrozenClock(now))(principal) as uow:
        returns.create_return_and_commit(
            uow, reference_id="after-rollup", fulfillment_center_id=fc_id, lines=[LineRequest(quantity=1, sku=sku)]
        )
    after = _overview(session_factory, merchant_id, 30, now)
    assert after.per_day[-1].day == now.date()
    assert after.per_day[-1].regular == before.per_day[-1].regular + 1
    assert after.per_day[:-1] == before.per_day[:-1]


def test_a_merchant_reads_its_own_totals_only(session_factory: sessionmaker[Session]) -> None:
    principal = Principal(Role.Merchant, credential_id="t", name="t", merchant_id="mer_a")
    with make_uow_factory(session_factory)(principal, read_only=True) as uow, pytest.raises(PermissionError):
        uow.dashboard.of_merchant("mer_b")


def test_two_rollups_of_one_merchant_at_once_keep_each_total_once(
    engine: Engine, session_factory: sessionmaker[Session], seeded: tuple[str, datetime]
) -> None:
    _, now = seeded
    errors: list[BaseException] = []

    def run() -> None:
        try:
            _roll_up(session_factory, now)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    kept = _all_totals(engine)
    _forget(engine)
    _roll_up(session_factory, now)
    assert _all_totals(engine) == kept


def test_the_overview_is_what_its_definitions_give(
    engine: Engine, session_factory: sessionmaker[Session], seeded: tuple[str, datetime]
) -> None:
    """Each chart against its definition written out as one plain query over the rows (the Overview's
    queries before the daily totals), with totals kept up to three days ago and the rest from rows."""
    merchant_id, now = seeded
    _roll_up(session_factory, now - timedelta(days=3))
    for days in PERIODS:
        overview = _overview(session_factory, merchant_id, days, now)
        with engine.connect() as conn:
            expected = _defined(conn, merchant_id, now, now - timedelta(days=days))
        assert overview.counts_by_status == expected["status"]
        assert {
            (d.day, kind): n
            for d in overview.per_day
            for kind, n in (("Regular", d.regular), ("ReturnToSender", d.rts))
            if n
        } == expected["per_day"]
        assert overview.dispositions == expected["dispositions"]
        assert [(s.sku, s.name, s.last_30_days, s.previous_30_days) for s in overview.top_skus] == expected["top"]
        assert [(p.completed, p.median_hours, p.p90_hours) for p in overview.processing_times] == expected["processing"]
        if days == 365:  # the year has every chart filled
            assert expected["top"] and expected["processing"] and sum(expected["dispositions"].values())


def _defined(conn: Any, merchant_id: str, now: datetime, since: datetime) -> dict[str, Any]:
    rt, lt, le = core.return_orders, core.return_lines, ledger_entries
    mine = rt.c.merchant_id == merchant_id
    status = {
        ReturnStatus(s): n for s, n in conn.execute(select(rt.c.status, func.count()).where(mine).group_by(rt.c.status))
    }
    day = func.date(rt.c.insert_date)
    created = conn.execute(
        select(day, rt.c.return_type, func.count())
        .where(mine, rt.c.insert_date >= since)
        .group_by(day, rt.c.return_type)
    )
    per_day = {
        (d, k): n
        for d, k, n in ((date.fromisoformat(str(d)[:10]), str(k), n) for d, k, n in created)
        if d > since.date()
    }
    units = dict(
        conn.execute(
            select(le.c.bucket, func.sum(le.c.quantity))
            .where(
                le.c.merchant_id == merchant_id,
                le.c.return_id.is_not(None),
                le.c.quantity > 0,
                le.c.created_at >= since,
            )
            .group_by(le.c.bucket)
        ).all()
    )
    completed = (mine, rt.c.status == "Completed", rt.c.completed_date >= since)
    expected_units = conn.execute(
        select(func.coalesce(func.sum(lt.c.quantity), 0))
        .select_from(lt.join(rt, rt.c.id == lt.c.return_id))
        .where(*completed)
    ).scalar_one()
    dispositions = {label: int(units.get(bucket.value, 0)) for bucket, label in DISPOSITION_OF_BUCKET.items()}
    dispositions["Missing"] = max(int(expected_units) - sum(dispositions.values()), 0)
    recent = func.sum(case((rt.c.insert_date >= now - timedelta(days=30), lt.c.quantity), else_=0))
    before = func.sum(case((rt.c.insert_date < now - timedelta(days=30), lt.c.quantity), else_=0))
    top = conn.execute(
        select(lt.c.sku, lt.c.name, recent, before)
        .select_from(lt.join(rt, rt.c.id == lt.c.return_id))
        .where(mine, rt.c.insert_date >= now - timedelta(days=60), rt.c.insert_date < now)
        .group_by(lt.c.sku, lt.c.name)
        .order_by(recent.desc(), lt.c.sku, lt.c.name)
        .limit(10)
    )
    hours: dict[str, Counter[int]] = {}
    for fc, arrived, done in conn.execute(
        select(rt.c.fulfillment_center_id, rt.c.arrived_date, rt.c.completed_date).where(
            *completed, rt.c.arrived_date.is_not(None)
        )
    ):
        hours.setdefault(fc, Counter())[int((done - arrived).total_seconds() // 3600)] += 1
    return {
        "status": status,
        "per_day": per_day,
        "dispositions": dispositions,
        "top": [(sku, name, int(r), int(b)) for sku, name, r, b in top if r],
        "processing": [
            (sum(h.values()), float(percentile(h, 0.5)), float(percentile(h, 0.9))) for _, h in sorted(hours.items())
        ],
    }


def test_a_rollup_cut_short_resumes_where_it_stopped(
    engine: Engine,
    session_factory: sessionmaker[Session],
    seeded: tuple[str, datetime],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Months are kept one transaction each: a rollup that fails half-way keeps the months it wrote, and
    the next run carries on from there to the same totals as one uninterrupted run."""
    _, now = seeded
    _roll_up(session_factory, now)
    whole = _all_totals(engine)
    _forget(engine)
    monkeypatch.setattr(service, "CHUNK", timedelta(days=6))
    keep = DashboardRepository.keep
    writes = 0

    def failing_keep(self: DashboardRepository, metric: Metric, rows: list[Any]) -> None:
        nonlocal writes
        writes += 1
        if writes == 5 * len(Metric) + 1:  # the sixth week of the first merchant
            raise RuntimeError("worker killed")
        keep(self, metric, rows)

    monkeypatch.setattr(DashboardRepository, "keep", failing_keep)
    with pytest.raises(RuntimeError):
        _roll_up(session_factory, now)
    with engine.connect() as conn:
        marks = conn.execute(select(daily_totals_marks.c.through_day)).scalars().all()
    assert len(marks) == 1  # five weeks kept, the sixth rolled back
    monkeypatch.setattr(DashboardRepository, "keep", keep)
    _roll_up(session_factory, now)
    assert _all_totals(engine) == whole
