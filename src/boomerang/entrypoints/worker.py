"""`boomerang worker`: runs the periodic jobs (webhook delivery, fee accrual, ...).

A job is a function `(WorkerContext) -> int` returning how many items it handled; `--once` calls
each job until it reports 0 (everything due is drained) and exits. Features add their job with
`JOBS.append(Job(...))` or `register(...)`. Several workers may run at once: jobs must claim their
work (e.g. `FOR UPDATE SKIP LOCKED`) rather than assume they are alone.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from boomerang.bootstrap import SessionFactory, UnitOfWorkFactory, WebhookSender, make_uow_factory, make_webhook_sender
from boomerang.config import Settings
from boomerang.services import accrual, daily_totals, idempotency, photos
from boomerang.services.auth import SYSTEM
from boomerang.services.clock import Clock, utcnow
from boomerang.services.webhook_relay import Relay

log = logging.getLogger("boomerang.worker")


@dataclass
class WorkerContext:
    session_factory: SessionFactory
    settings: Settings
    clock: Clock = utcnow
    sender: WebhookSender | None = None

    @property
    def uow_factory(self) -> UnitOfWorkFactory:
        return make_uow_factory(self.session_factory, self.settings, self.clock)

    def webhook_sender(self) -> WebhookSender:
        if self.sender is None:
            self.sender = make_webhook_sender(self.settings)
        return self.sender


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable[[WorkerContext], int]
    every: timedelta = timedelta(seconds=1)  # pause between runs when the job found nothing to do
    max_rounds: int = field(default=100_000, compare=False)  # safety bound for one drain


def deliver_webhooks(ctx: WorkerContext) -> int:
    """Fan outbox events out to subscriptions and send what is due."""
    return Relay(ctx.uow_factory, ctx.webhook_sender()).run_once()


def accrue_fees(ctx: WorkerContext) -> int:
    """QuarantineStorageFee for the last finished days; days already charged add nothing."""
    results = accrual.accrue_due(lambda: ctx.uow_factory(SYSTEM))
    return sum(result.charged for result in results)


def roll_up_daily_totals(ctx: WorkerContext) -> int:
    """Keep the dashboard's totals of the days that finished since the last run (services/daily_totals.py)."""
    return len(daily_totals.roll_up_due(ctx.uow_factory))


def purge_idempotency_keys(ctx: WorkerContext) -> int:
    """Forget stored Idempotency-Key responses older than the retention."""
    with ctx.uow_factory(SYSTEM) as uow:
        return idempotency.purge_expired(uow)


def sweep_orphan_photos(ctx: WorkerContext) -> int:
    """Remove photo files no row names, last written over a day ago (rolled-back or killed uploads)."""
    swept = photos.sweep_orphan_photos(lambda: ctx.uow_factory(SYSTEM, read_only=True))
    if swept.removed:
        log.info(
            "removed %d orphan photo files (%d bytes) of %d checked", swept.removed, swept.removed_bytes, swept.checked
        )
    return swept.removed


JOBS: list[Job] = [Job("webhooks", deliver_webhooks), Job("fee_accrual", accrue_fees, every=timedelta(hours=1))]
JOBS.append(Job("idempotency_purge", purge_idempotency_keys, every=timedelta(hours=1)))
JOBS.append(Job("daily_totals", roll_up_daily_totals, every=timedelta(minutes=10)))
JOBS.append(Job("photo_orphans", sweep_orphan_photos, every=timedelta(hours=1)))


def register(job: Job) -> None:
    """Add a periodic job (other features call this at import time)."""
    if all(existing.name != job.name for existing in JOBS):
        JOBS.append(job)


def drain(ctx: WorkerContext, job: Job) -> int:
    total = 0
    for _ in range(job.max_rounds):
        done = job.run(ctx)
        if not done:
            break
        total += done
    return total


def run_once(ctx: WorkerContext, jobs: list[Job] | None = None) -> dict[str, int]:
    """Every job until nothing is due; returns items handled per job."""
    return {job.name: drain(ctx, job) for job in (JOBS if jobs is None else jobs)}


def run_forever(ctx: WorkerContext, stop: threading.Event, jobs: list[Job] | None = None) -> None:
    """Run each job whenever its pause has passed, until `stop` is set."""
    jobs = JOBS if jobs is None else jobs
    due = dict.fromkeys((job.name for job in jobs), 0.0)
    while not stop.is_set():
        for job in jobs:
            if time.monotonic() < due[job.name]:
                continue
            try:
                done = drain(ctx, job)
            except Exception:  # one failing job must not stop the others; it is retried later
                log.exception("job %s failed", job.name)
                done = 0
            due[job.name] = time.monotonic() + (0 if done else job.every.total_seconds())
        stop.wait(max(0.05, min(due.values()) - time.monotonic()))
