"""`boomerang bench ...`: build benchmark data sets (see bench/ and docs/performance.md)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

if TYPE_CHECKING:
    from rich.progress import TaskID

# The seed's modules (boomerang.sample, the database wiring, Alembic) are imported by the command, not by
# `boomerang`'s start-up.
bench_app = typer.Typer(help="Benchmark data sets.", no_args_is_help=True)
console = Console(soft_wrap=True)


@bench_app.command("seed")
def bench_seed(
    returns: Annotated[int, typer.Option("--returns", min=1, help="how many returns to write")] = 2000,
    database_url: Annotated[
        str | None, typer.Option("--database-url", help="default: BOOMERANG_DATABASE_URL or the local SQLite file")
    ] = None,
    merchants: Annotated[int, typer.Option(min=2, help="merchants; the first holds 20% of the returns")] = 50,
    lines: Annotated[int, typer.Option("--lines", min=1, max=10, help="lines per return")] = 3,
) -> None:
    """Migrate, then bulk-load a skewed data set (COPY on PostgreSQL, executemany on SQLite)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from boomerang.config import get_settings
    from boomerang.sample.bench_seed import SeedSpec, migrate_and_seed

    url = database_url or get_settings().effective_database_url
    started = time.perf_counter()
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console) as progress:
        tasks: dict[str, TaskID] = {}

        def report(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task(stage, total=total)
            progress.update(tasks[stage], completed=done)

        spec = SeedSpec(returns=returns, merchants=merchants, lines_per_return=lines)
        summary = migrate_and_seed(url, spec, report)
    rows = ", ".join(f"{name} {count:,}" for name, count in summary.rows.items())
    console.print(f"seeded in {time.perf_counter() - started:.1f} s: {rows}")
    console.print("merchant API keys: bkm_bench_00 (the big merchant) .. " + f"bkm_bench_{merchants - 1:02d}")
