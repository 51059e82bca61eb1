"""`boomerang` starts without the parts of the application its command does not use.

No timing here: each check runs the CLI in a fresh interpreter and looks at which modules it loaded.
The API stack (FastAPI, Starlette, uvicorn, Jinja, httpx, the rate-limit counters) and, for `--help`,
the database stack too are most of a short run's time (docs/performance.md, row 5's CLI import).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from boomerang.bootstrap import make_uow_factory
from boomerang.domain.tenants import Principal, Role
from boomerang.services import admin, products
from boomerang.services.auth import SYSTEM
from boomerang.services.products import ProductFields

# The CLI runs in processes of its own.
pytestmark = pytest.mark.several_connections

API_STACK = {"fastapi", "starlette", "uvicorn", "jinja2", "httpx", "limits", "PIL"}
DATABASE_STACK = {"sqlalchemy", "alembic", "psycopg"}

# Runs the CLI as `boomerang ARGS`, then prints its exit code and what it loaded as the last line.
PROBE = """
import json, sys
from boomerang.entrypoints.cli import app
code = None
if sys.argv[1:]:
    try:
        app(sys.argv[1:], prog_name="boomerang")
    except SystemExit as stop:
        code = stop.code
print()
print(json.dumps({"exit": code, "modules": sorted(sys.modules)}))
"""


@dataclass(frozen=True)
class Run:
    exit_code: int | None
    output: str
    modules: set[str]

    @property
    def packages(self) -> set[str]:
        return {name.split(".")[0] for name in self.modules}


def run_cli(*args: str, env: dict[str, str] | None = None) -> Run:
    """`boomerang ARGS` in a fresh interpreter (no args: only import the CLI module)."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    output, _, last = done.stdout.rstrip("\n").rpartition("\n")
    report = json.loads(last)
    return Run(report["exit"], output, set(report["modules"]))


def test_importing_the_cli_loads_neither_the_api_nor_the_database() -> None:
    loaded = run_cli()
    assert "boomerang.entrypoints.cli" in loaded.modules
    assert loaded.packages & (API_STACK | DATABASE_STACK) == set()
    assert not {m for m in loaded.modules if m.startswith(("boomerang.bootstrap", "boomerang.entrypoints.api"))}


@pytest.mark.parametrize(
    "args",
    [
        ("--help",),
        ("db", "--help"),
        ("admin", "user", "--help"),
        ("billing", "accrue", "--help"),
        ("dashboard", "rollup", "--help"),
        ("bench", "seed", "--help"),
        ("import-preferences", "--help"),
    ],
)
def test_help_pages_load_neither_the_api_nor_the_database(args: tuple[str, ...]) -> None:
    shown = run_cli(*args)
    assert shown.exit_code == 0
    assert "Usage: boomerang" in shown.output
    assert shown.packages & (API_STACK | DATABASE_STACK) == set()


def test_import_preferences_loads_the_database_but_not_the_api(
    engine: Engine, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    with make_uow_factory(session_factory)(SYSTEM) as uow:
        merchant_id = admin.create_merchant(uow, name="Start-up").merchant.id
    principal = Principal(Role.Merchant, credential_id="test", name="test", merchant_id=merchant_id)
    with make_uow_factory(session_factory)(principal) as uow:
        for sku in ("SU-1", "SU-2", "SU-3"):
            products.create_product(uow, details=ProductFields(sku=sku, name=sku), preferences=None)
    csv_file = tmp_path / "prefs.csv"
    csv_file.write_text("sku,return_action\nSU-1,Dispose\nSU-2,Dispose\nSU-3,Restock\n", encoding="utf-8")
    env = {
        "BOOMERANG_DATABASE_URL": engine.url.render_as_string(hide_password=False),
        "BOOMERANG_DATA_DIR": str(tmp_path / "data"),
    }

    imported = run_cli("import-preferences", str(csv_file), "--merchant", merchant_id, env=env)

    assert imported.exit_code in (None, 0), imported.output
    assert "updated 3 products" in imported.output
    assert {"sqlalchemy", "alembic"} <= imported.packages  # it did reach the database (and migrated it)
    assert imported.packages & API_STACK == set()
    assert not {m for m in imported.modules if m.startswith("boomerang.entrypoints.api")}
