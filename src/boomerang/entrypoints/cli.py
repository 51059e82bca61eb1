"""The `boomerang` command line: serve, migrate, administer, import.

Each command imports what it uses inside its function: one run executes one command, and loading
the whole application (SQLAlchemy, Alembic, the API's schemas, uvicorn) for `--help` or for a
command that needs a part of it is most of a short run's time. `tests/test_cli_start_up.py` guards it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from boomerang.domain.errors import DomainError
from boomerang.entrypoints.cli_bench import bench_app
from boomerang.entrypoints.cli_billing import billing_app
from boomerang.entrypoints.cli_dashboard import dashboard_app

if TYPE_CHECKING:
    from boomerang.domain.tenants import Principal
    from boomerang.services.unit_of_work import UnitOfWork

app = typer.Typer(help="Boomerang: returns management for 3PL warehouses.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
admin_app = typer.Typer(
    help="Create merchants, FCs, operators, users and tokens (secrets are printed once).", no_args_is_help=True
)
photos_app = typer.Typer(help="Stored photo files.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(photos_app, name="photos")
app.add_typer(admin_app, name="admin")
app.add_typer(billing_app, name="billing")
app.add_typer(bench_app, name="bench")
app.add_typer(dashboard_app, name="dashboard")
console = Console(soft_wrap=True)


def _session_factory(upgrade: bool = True) -> Any:
    from boomerang.bootstrap import bootstrap

    return bootstrap(upgrade_schema=upgrade).session_factory


@contextmanager
def _uow(principal: Principal | None = None) -> Iterator[UnitOfWork]:
    """A unit of work (as `principal`, default the system) on a short-lived engine, closed with it."""
    from boomerang.bootstrap import bootstrap
    from boomerang.services.auth import SYSTEM

    wiring = bootstrap(upgrade_schema=True)
    try:
        with wiring.uow_factory()(SYSTEM if principal is None else principal) as uow:
            yield uow
    finally:
        wiring.dispose()


def _run(action: Any) -> Any:
    """Run a use case; a rule violation becomes a message and exit code 1, never a traceback."""
    try:
        return action()
    except DomainError as error:
        console.print(f"[red]error:[/red] {error.message}")
        for detail in error.details:
            console.print(f"  {detail.field}: {detail.message}")
        raise typer.Exit(1)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply the Alembic migrations."""
    from boomerang.bootstrap import bootstrap

    wiring = bootstrap(upgrade_schema=True)
    wiring.dispose()
    console.print(f"database at head: {wiring.settings.effective_database_url}")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="interface to bind")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port to listen on")] = 8000,
    demo_data: Annotated[
        bool, typer.Option("--demo", help="load demo data into an empty database and print the logins")
    ] = False,
    forwarded_allow_ips: Annotated[
        str,
        typer.Option(
            "--forwarded-allow-ips",
            envvar="BOOMERANG_FORWARDED_ALLOW_IPS",
            help="comma-separated addresses of your reverse proxies (or *) whose X-Forwarded-For/-Proto are "
            "believed; empty (default): ignored, the client is the socket's peer",
        ),
    ] = "",
) -> None:
    """Migrate the database if needed, then serve the API (and dashboard)."""
    import uvicorn

    from boomerang.config import get_settings
    from boomerang.entrypoints.http.app import create_app

    settings = get_settings()
    session_factory = _session_factory()
    if demo_data:
        _load_demo_if_empty(session_factory)
        _print_demo_logins(host, port)
    app = create_app(settings, session_factory)
    _tune_gc()
    uvicorn.run(app, **uvicorn_options(host, port, forwarded_allow_ips))


def uvicorn_options(host: str, port: int, forwarded_allow_ips: str) -> dict[str, Any]:
    """How `serve` runs uvicorn. Proxy headers are believed only from the addresses named: uvicorn's own
    default believes X-Forwarded-For from 127.0.0.1 (or $FORWARDED_ALLOW_IPS), so anything connecting
    locally could pick the client address the rate limit and the sign-in throttle count by."""
    trusted = ",".join(part.strip() for part in forwarded_allow_ips.split(",") if part.strip())
    proxy = {"proxy_headers": True, "forwarded_allow_ips": trusted} if trusted else {"proxy_headers": False}
    # SIGTERM waits at most this long for requests in flight (a stalled body ends sooner: 408, body_limit.py).
    return {"host": host, "port": port, "log_level": "info", "timeout_graceful_shutdown": 30, **proxy}


def _tune_gc() -> None:
    """Start-up objects (routes, schemas, mappers) leave the collector's reach, and collections run less
    often: fewer and shorter GC pauses in the middle of requests (p95 latency) or of a bulk import."""
    import gc

    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)


def _load_demo_if_empty(session_factory: Any) -> None:
    from rich.progress import Progress

    from boomerang.bootstrap import make_uow_factory
    from boomerang.config import get_settings
    from boomerang.sample import demo, demo_history
    from boomerang.services.auth import SYSTEM

    uow_factory = make_uow_factory(session_factory)
    with uow_factory(SYSTEM) as uow:
        empty = demo.database_is_empty(uow)
    if not empty:
        return
    with console.status("loading demo tenants and catalog"):
        loaded = demo.load_demo(uow_factory)
    tenants = demo_history.tenants_of(loaded)
    count = get_settings().demo_returns
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("demo returns, last 90 days", total=count * len(tenants))
        demo_history.load_history(
            uow_factory,
            tenants,
            demo_history.demo_operator(loaded.operator),
            returns_per_merchant=count,
            advance=lambda n: progress.advance(task, n),
        )
    console.print(f"[green]demo data loaded[/green] ({count} returns per merchant)")


def _print_demo_logins(host: str, port: int) -> None:
    from boomerang.sample import demo

    base = f"http://{host}:{port}"
    s = demo.DEMO_SECRETS
    console.print(f"\n[bold]Boomerang demo[/bold] on {base}  (API docs: {base}/api/docs)")
    console.print(f"  admin token          {s['admin']}")
    console.print(f"  merchant API keys    Acme Outdoor: {s['Acme Outdoor']}   Bloom Beauty: {s['Bloom Beauty']}")
    console.print(f"  operator token       {s['operator']}")
    console.print(f"  carrier token        {s['carrier']}")
    merchant, operator, other = demo.DEMO_USERS
    console.print(f"\n  [bold]Dashboard[/bold] {base}/login")
    console.print(f"    merchant (Acme Outdoor)   {merchant[0]} / {merchant[1]}")
    console.print(f"    merchant (Bloom Beauty)   {other[0]} / {other[1]}")
    console.print(f"    operator (station)        {operator[0]} / {operator[1]}")
    fc_name, reference = demo.STATION_WALKTHROUGH
    console.print(
        f"      at {base}/station: Enter (works at {fc_name}), type {reference} + Enter, Enter, Ctrl+Enter: Completed"
    )
    console.print(f"\n  try: curl -H 'Authorization: Bearer {s['Acme Outdoor']}' {base}/api/v1/returns\n")


@admin_app.command("merchant")
def admin_merchant(name: str, currency: Annotated[str, typer.Option(help="USD, CAD, EUR, GBP or AUD")] = "USD") -> None:
    """Create a merchant and print its first API key."""
    from boomerang.services import admin

    with _uow() as uow:
        created = _run(lambda: admin.create_merchant(uow, name=name, currency_code=currency))
    console.print(f"merchant {created.merchant.id}  api key: {created.api_key}")


@admin_app.command("rotate-secret-key")
def admin_rotate_secret_key() -> None:
    """Re-encrypt stored webhook and integration secrets with the current BOOMERANG_SECRET_KEY.

    Set the new key in BOOMERANG_SECRET_KEY and the old one in BOOMERANG_PREVIOUS_SECRET_KEYS,
    run this once, then remove the old key.
    """
    from boomerang.services import admin

    with _uow() as uow:
        count = _run(lambda: admin.rotate_secret_key(uow))
    console.print(f"re-encrypted {count} stored secrets with the current key")


@admin_app.command("api-key")
def admin_api_key(merchant_id: str) -> None:
    """Create another API key for a merchant."""
    from boomerang.services import admin

    with _uow() as uow:
        created = _run(lambda: admin.create_api_key(uow, merchant_id=merchant_id))
    console.print(f"api key: {created.api_key}")


@admin_app.command("fc")
def admin_fc(name: str, country: str) -> None:
    """Create a fulfillment center (COUNTRY: ISO 3166-1 alpha-2)."""
    from boomerang.services import admin

    with _uow() as uow:
        created = _run(lambda: admin.create_fulfillment_center(uow, name=name, country=country.upper()))
    console.print(f"fulfillment center {created.id} ({created.country})")


@admin_app.command("operator")
def admin_operator(name: str, fc: Annotated[list[str], typer.Option("--fc", help="FC id (repeatable)")]) -> None:
    """Create a warehouse operator and print its token."""
    from boomerang.services import admin

    with _uow() as uow:
        created = _run(lambda: admin.create_operator(uow, name=name, fulfillment_center_ids=fc))
    console.print(f"operator {created.operator.id}  token: {created.token}")


@admin_app.command("user")
def admin_user(
    email: str,
    password: Annotated[str, typer.Option(prompt=True, hide_input=True)],
    role: Annotated[str, typer.Option(help="Merchant or Operator")] = "Merchant",
    merchant: Annotated[str | None, typer.Option(help="merchant id (Merchant users)")] = None,
    fc: Annotated[list[str] | None, typer.Option("--fc", help="FC id (Operator users, repeatable)")] = None,
) -> None:
    """Create a dashboard user (password stored as an argon2 hash)."""
    from boomerang.services import admin

    with _uow() as uow:
        created = _run(
            lambda: admin.create_user(
                uow, email=email, password=password, role=role, merchant_id=merchant, fulfillment_center_ids=fc
            )
        )
    console.print(f"user {created.id} ({created.role})")


@admin_app.command("disable-user")
def admin_disable_user(email: str) -> None:
    """Stop a dashboard user signing in and end its open sessions at once."""
    from boomerang.services.web_sessions import disable_user_by_email

    with _uow() as uow:
        user_id = _run(lambda: disable_user_by_email(uow, email=email))
    console.print(f"user {user_id} disabled; its sessions are revoked")


@admin_app.command("token")
def admin_token(name: str) -> None:
    """Create an admin API token."""
    from boomerang.services import admin

    with _uow() as uow:
        created = _run(lambda: admin.create_admin_token(uow, name=name))
    console.print(f"admin token: {created.token}")


@admin_app.command("integration-token")
def admin_integration_token(name: str) -> None:
    """Create a token for carrier tracking pushes."""
    from boomerang.services import admin

    with _uow() as uow:
        created = _run(lambda: admin.create_integration_token(uow, name=name))
    console.print(f"integration token: {created.token}")


@app.command("import-preferences")
def import_preferences(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="CSV with the bulk header")],
    merchant: Annotated[str, typer.Option("--merchant", help="merchant id")],
) -> None:
    """Bulk return preferences from a CSV: all rows or none (the file is streamed, a chunk of rows at a time)."""
    from rich.progress import Progress

    from boomerang.domain.tenants import Principal, Role
    from boomerang.entrypoints.preferences_csv import PreferenceCsv
    from boomerang.services import products

    principal = Principal(Role.Merchant, credential_id="cli", name="cli", merchant_id=merchant)
    upload = PreferenceCsv.of_path(file)
    count = _run(upload.check)
    with _uow() as uow:
        _run(lambda: uow.tenants.merchant(merchant))
    _tune_gc()  # the rows make short-lived objects by the million: full collections were ~0.2 s of a 100,000-row run
    with Progress(console=console) as progress:
        task = progress.add_task("checking rows", total=count)
        with _uow(principal) as uow:
            result = _run(
                lambda: products.bulk_update_preferences(
                    uow, rows=upload.rows(), label="rows", progress=lambda n: progress.update(task, completed=n)
                )
            )
    console.print(f"updated {result.updated} products")


@photos_app.command("sweep-orphans")
def photos_sweep_orphans(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="count what would be removed, remove nothing")] = False,
) -> None:
    """Remove photo files no database row names, last written over a day ago (the worker does it hourly)."""
    from boomerang.bootstrap import bootstrap
    from boomerang.services.auth import SYSTEM
    from boomerang.services.photos import sweep_orphan_photos

    wiring = bootstrap(upgrade_schema=True)
    try:
        uow_factory = wiring.uow_factory()
        swept = sweep_orphan_photos(lambda: uow_factory(SYSTEM, read_only=True), dry_run=dry_run)
    finally:
        wiring.dispose()
    verb = "would remove" if dry_run else "removed"
    console.print(f"{verb} {swept.removed} orphan photo files ({swept.removed_bytes} bytes) of {swept.checked} checked")


@app.command()
def worker(
    once: Annotated[bool, typer.Option("--once", help="drain what is due now, then exit")] = False,
) -> None:
    """Deliver outbox events as webhooks and run the other periodic jobs (fee accrual)."""
    import signal
    import threading

    from boomerang.config import get_settings
    from boomerang.entrypoints import worker as jobs

    ctx = jobs.WorkerContext(_session_factory(), get_settings())
    if once:
        for name, handled in jobs.run_once(ctx).items():
            console.print(f"{name}: {handled}")
        return
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    console.print(f"worker running jobs: {', '.join(job.name for job in jobs.JOBS)} (Ctrl-C stops)")
    try:
        jobs.run_forever(ctx, stop)
    except KeyboardInterrupt:
        stop.set()


if __name__ == "__main__":
    app()
