"""What every benchmark shares: temporary databases, a real uvicorn process, timing and the report."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import create_engine, text
from tests.support.live_server import LiveServer

PG_SERVER = os.environ.get("BOOMERANG_BENCH_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
BIN = Path(sys.executable).parent
console = Console(soft_wrap=True)


@dataclass
class Result:
    """One row of the report: the figure, its target, and the absolute numbers behind it."""

    row: str
    db: str
    workload: str
    figure: float | None
    target: str
    met: bool | None
    detail: str

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


@dataclass
class Stats:
    samples: list[float] = field(default_factory=list)

    def add(self, seconds: float) -> None:
        self.samples.append(seconds)

    @property
    def p50(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        if len(self.samples) < 2:
            return self.samples[0]
        return statistics.quantiles(self.samples, n=20, method="inclusive")[-1]

    def ms(self) -> str:
        return f"p50 {self.p50 * 1000:.1f} ms, p95 {self.p95 * 1000:.1f} ms (n={len(self.samples)})"


def progress() -> Progress:
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    return Progress(*columns, console=console, transient=True)


def timed(repeat: int, action: Callable[[], Any], label: str, warmup: int = 3) -> Stats:
    """`repeat` timed calls of `action` after a few untimed ones, with a progress bar."""
    for _ in range(warmup):
        action()
    stats = Stats()
    with progress() as bar:
        task = bar.add_task(label, total=repeat)
        for _ in range(repeat):
            started = time.perf_counter()
            action()
            stats.add(time.perf_counter() - started)
            bar.advance(task)
    return stats


@contextmanager
def temp_database(kind: str, workdir: Path, name: str) -> Iterator[str]:
    """A fresh empty database: a file on SQLite, a new database on the PostgreSQL server (dropped after)."""
    if kind == "sqlite":
        path = workdir / f"{name}.db"
        yield f"sqlite:///{path}"
        return
    db_name = f"boomerang_bench_{name}_{uuid.uuid4().hex[:8]}"
    server = create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{db_name}"'))
    try:
        yield PG_SERVER.rsplit("/", 1)[0] + f"/{db_name}"
    finally:
        with server.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)'))
        server.dispose()


def seed(url: str, returns: int) -> float:
    """`boomerang bench seed` in its own process (its progress bar shows); returns the seconds taken."""
    started = time.perf_counter()
    subprocess.run(
        [str(BIN / "boomerang"), "bench", "seed", "--returns", str(returns), "--database-url", url], check=True
    )
    return time.perf_counter() - started


class Server:
    """`boomerang serve` (uvicorn, one process) against `url` as production runs it (argon2 at full cost, the
    anonymous rate limit on), started by the tests' one launcher; peak RSS read from /proc."""

    def __init__(self, url: str, workdir: Path) -> None:
        self.live = LiveServer(
            url, workdir / "data", real_password_cost=True, BOOMERANG_ANONYMOUS_RATE_LIMIT="300"
        ).start(timeout=60)
        self.base = self.live.base_url
        self.process = self.live.process

    def client(self, token: str) -> httpx.Client:
        return httpx.Client(base_url=f"{self.base}/api/v1", headers={"Authorization": f"Bearer {token}"}, timeout=120)

    def reset_peak_rss(self) -> None:
        self.live.reset_peak_rss()

    def peak_rss_mib(self) -> float:
        return self.live.peak_rss_mb()

    def stop(self) -> None:
        self.live.stop()


@contextmanager
def server(url: str, workdir: Path) -> Iterator[Server]:
    api = Server(url, workdir)
    try:
        yield api
    finally:
        api.stop()


@contextmanager
def workdir() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="boomerang-bench-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else float("inf")
