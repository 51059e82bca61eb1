"""`boomerang billing …`: fee accrual from the shell (the worker runs the same use case daily)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer
from rich.console import Console

from boomerang.domain.errors import DomainError

# The use case and the database wiring are imported by the command, not by `boomerang`'s start-up.
billing_app = typer.Typer(help="Fees: accrue QuarantineStorageFee for a day.", no_args_is_help=True)
console = Console(soft_wrap=True)


@billing_app.command("accrue")
def accrue(
    day: Annotated[datetime, typer.Option("--date", formats=["%Y-%m-%d"], help="a finished UTC day, YYYY-MM-DD")],
) -> None:
    """Charge the QuarantineStorageFee of one day; running it again for that day charges nothing more."""
    from boomerang.bootstrap import bootstrap
    from boomerang.services import accrual
    from boomerang.services.auth import SYSTEM

    wiring = bootstrap(upgrade_schema=True)
    try:
        with wiring.uow_factory()(SYSTEM) as uow:
            result = accrual.accrue_quarantine_storage(uow, day=day.date())
    except DomainError as error:
        console.print(f"[red]error:[/red] {error.message}")
        raise typer.Exit(1)
    finally:
        wiring.dispose()
    console.print(
        f"{result.day.isoformat()}: {result.charged} new QuarantineStorageFee charges "
        f"({result.units} units; {result.positions} quarantine positions, the rest already charged or free)"
    )
