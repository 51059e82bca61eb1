"""`boomerang dashboard …`: keep the Overview's daily totals from the shell (the worker runs the same job)."""

from __future__ import annotations

import time
from typing import Annotated

import typer
from rich.console import Console

dashboard_app = typer.Typer(help="Dashboard: the daily totals behind the Overview.", no_args_is_help=True)
console = Console(soft_wrap=True)


@dashboard_app.command("rollup")
def rollup(
    rebuild: Annotated[
        bool, typer.Option("--rebuild", help="forget the kept totals and aggregate every merchant's history again")
    ] = False,
) -> None:
    """Keep the totals of every finished day not kept yet, per merchant, a month per transaction."""
    from boomerang.bootstrap import bootstrap
    from boomerang.services import daily_totals

    wiring = bootstrap(upgrade_schema=True)
    started = time.perf_counter()
    try:
        done = daily_totals.roll_up_due(wiring.uow_factory(), rebuild=rebuild)
    finally:
        wiring.dispose()
    for result in done:
        first = "the first day" if result.first is None else result.first.isoformat()
        console.print(f"{result.merchant_id}: {first} to {result.through.isoformat()}, {result.rows} totals")
    console.print(f"{len(done)} merchants rolled up in {time.perf_counter() - started:.1f} s")
