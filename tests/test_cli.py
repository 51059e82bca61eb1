"""The `boomerang` command line: migrate, administer, import preferences; bad input is a message and exit 1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from boomerang.adapters.tables import core
from boomerang.bootstrap import make_uow_factory
from boomerang.config import get_settings
from boomerang.domain.tenants import Principal, Role
from boomerang.entrypoints.cli import app
from boomerang.services import admin, products
from boomerang.services.auth import SYSTEM, authenticate
from boomerang.services.products import ProductFields

# The CLI runs in processes of its own.
pytestmark = pytest.mark.several_connections

runner = CliRunner()
HEADER = "sku,return_action,rts_action,backup_action,inspection_step_1,inspection_step_2,inspection_step_3"


@pytest.fixture
def database(engine: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Engine]:
    """Point the CLI at the test database (SQLite file or PostgreSQL)."""
    monkeypatch.setenv("BOOMERANG_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("BOOMERANG_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield engine
    get_settings.cache_clear()


def run(*args: str) -> Any:
    return runner.invoke(app, list(args))


def count(engine: Engine, table: Any) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def secret_after(output: str, label: str) -> str:
    return output.split(label, 1)[1].split()[0]


def test_db_upgrade_migrates_an_empty_sqlite_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = tmp_path / "fresh" / "boomerang.db"
    monkeypatch.setenv("BOOMERANG_DATABASE_URL", f"sqlite:///{path}")
    get_settings.cache_clear()
    try:
        result = run("db", "upgrade")
        assert result.exit_code == 0, result.output
        assert "database at head" in result.output
        assert path.exists()
        assert run("db", "upgrade").exit_code == 0
    finally:
        get_settings.cache_clear()


def test_db_upgrade_on_the_configured_database(database: Engine) -> None:
    result = run("db", "upgrade")
    assert result.exit_code == 0, result.output


def test_admin_creates_a_merchant_and_prints_a_working_key(
    database: Engine, session_factory: sessionmaker[Session]
) -> None:
    result = run("admin", "merchant", "Acme Outdoor", "--currency", "EUR")
    assert result.exit_code == 0, result.output
    key = secret_after(result.output, "api key:")
    principal = authenticate(make_uow_factory(session_factory), key, "")
    assert principal.role is Role.Merchant and principal.merchant_id
    result = run("admin", "api-key", principal.merchant_id)
    assert result.exit_code == 0, result.output
    second = authenticate(make_uow_factory(session_factory), secret_after(result.output, "api key:"), "")
    assert second.merchant_id == principal.merchant_id


def test_admin_creates_fc_operator_and_user(database: Engine, session_factory: sessionmaker[Session]) -> None:
    result = run("admin", "fc", "Reno", "us")
    assert result.exit_code == 0, result.output
    fc_id = result.output.split("fulfillment center", 1)[1].split()[0]
    assert "(US)" in result.output
    result = run("admin", "operator", "Dock A", "--fc", fc_id)
    assert result.exit_code == 0, result.output
    operator = authenticate(make_uow_factory(session_factory), secret_after(result.output, "token:"), "")
    assert operator.role is Role.Operator and operator.fulfillment_center_ids == {fc_id}
    result = run("admin", "user", "op@example.com", "--password", "battery staple", "--role", "Operator", "--fc", fc_id)
    assert result.exit_code == 0, result.output
    assert "(Operator)" in result.output
    assert count(database, core.users) == 1


def test_admin_creates_admin_and_integration_tokens(database: Engine, session_factory: sessionmaker[Session]) -> None:
    result = run("admin", "token", "ops laptop")
    assert result.exit_code == 0, result.output
    assert (
        authenticate(make_uow_factory(session_factory), secret_after(result.output, "admin token:"), "").role
        is Role.Admin
    )
    result = run("admin", "integration-token", "carrier feed")
    assert result.exit_code == 0, result.output
    token = secret_after(result.output, "integration token:")
    assert authenticate(make_uow_factory(session_factory), token, "").role is Role.Integration


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("admin", "merchant", "Acme", "--currency", "XYZ"), "currency"),
        (("admin", "merchant", "   "), "name"),
        (("admin", "fc", "Nowhere", "ZZ"), "country"),
        (("admin", "operator", "Dock", "--fc", "fc_unknown"), "unknown fulfillment center"),
        (("admin", "api-key", "mch_unknown"), "not found"),
        (("admin", "user", "not-an-email", "--password", "long enough", "--merchant", "mch_x"), "email"),
        (("admin", "integration-token", ""), "name"),
    ],
)
def test_bad_admin_input_is_a_message_exit_1_and_nothing_created(
    database: Engine, args: tuple[str, ...], message: str
) -> None:
    before = {t.name: count(database, t) for t in (core.merchants, core.fulfillment_centers, core.credentials)}
    result = run(*args)
    assert result.exit_code == 1, result.output
    assert "error:" in result.output and message in result.output
    assert "Traceback" not in result.output
    assert {t.name: count(database, t) for t in (core.merchants, core.fulfillment_centers, core.credentials)} == before


def _merchant_with_products(session_factory: sessionmaker[Session], skus: list[str]) -> str:
    with make_uow_factory(session_factory)(SYSTEM) as uow:
        merchant_id = admin.create_merchant(uow, name="Importer").merchant.id
    principal = Principal(Role.Merchant, credential_id="test", name="test", merchant_id=merchant_id)
    with make_uow_factory(session_factory)(principal) as uow:
        for sku in skus:
            products.create_product(uow, details=ProductFields(sku=sku, name=sku), preferences=None)
    return merchant_id


def _preferences(session_factory: sessionmaker[Session], merchant_id: str) -> dict[str, tuple[str, bool]]:
    principal = Principal(Role.Merchant, credential_id="test", name="test", merchant_id=merchant_id)
    with make_uow_factory(session_factory)(principal) as uow:
        return {
            p.sku: (p.preferences.return_action.value, p.preferences.preferences_configured)
            for p in uow.products.all_for_merchant(merchant_id)
        }


def test_import_preferences_updates_every_row_with_progress(
    database: Engine, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    skus = [f"IMP-{i:03d}" for i in range(120)]
    merchant_id = _merchant_with_products(session_factory, skus)
    csv_file = tmp_path / "prefs.csv"
    csv_file.write_text(HEADER + "\n" + "".join(f"{sku},Dispose,,,Check seal,,\n" for sku in skus), encoding="utf-8")
    result = run("import-preferences", str(csv_file), "--merchant", merchant_id)
    assert result.exit_code == 0, result.output
    assert "checking rows" in result.output
    assert "updated 120 products" in result.output
    assert set(_preferences(session_factory, merchant_id).values()) == {("Dispose", True)}


def test_import_preferences_with_a_bad_row_changes_nothing(
    database: Engine, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    merchant_id = _merchant_with_products(session_factory, ["OK-1", "OK-2"])
    csv_file = tmp_path / "prefs.csv"
    csv_file.write_text(f"{HEADER}\nOK-1,Dispose,,,,,\nOK-2,Sometimes,,,,,\nNOPE-1,Restock,,,,,\n", encoding="utf-8")
    result = run("import-preferences", str(csv_file), "--merchant", merchant_id)
    assert result.exit_code == 1, result.output
    assert "rows[1].return_action" in result.output and "rows[2].sku" in result.output
    assert "Traceback" not in result.output
    assert _preferences(session_factory, merchant_id) == {"OK-1": ("Restock", False), "OK-2": ("Restock", False)}


def test_import_preferences_with_a_bad_row_in_a_later_chunk_changes_nothing(
    database: Engine, session_factory: sessionmaker[Session], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first chunks are written before the bad row is read; the one transaction still rolls them back."""
    monkeypatch.setattr(products, "BULK_CHUNK", 2)
    skus = [f"CK-{i}" for i in range(5)]
    merchant_id = _merchant_with_products(session_factory, skus)
    csv_file = tmp_path / "prefs.csv"
    lines = [f"{sku},{'Burn' if i == 4 else 'Dispose'},,,,," for i, sku in enumerate(skus)]
    csv_file.write_text(HEADER + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    result = run("import-preferences", str(csv_file), "--merchant", merchant_id)
    assert result.exit_code == 1, result.output
    assert "rows[4].return_action" in result.output
    assert set(_preferences(session_factory, merchant_id).values()) == {("Restock", False)}
    csv_file.write_text(HEADER + "\n" + "\n".join(lines[:4]) + "\n", encoding="utf-8")
    result = run("import-preferences", str(csv_file), "--merchant", merchant_id)
    assert result.exit_code == 0, result.output
    assert "updated 4 products" in result.output


def test_import_preferences_of_a_file_that_is_not_utf8_is_a_message(
    database: Engine, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    merchant_id = _merchant_with_products(session_factory, ["OK-1"])
    csv_file = tmp_path / "prefs.csv"
    csv_file.write_bytes(b"sku\nOK-1\n\xff\n")
    result = run("import-preferences", str(csv_file), "--merchant", merchant_id)
    assert result.exit_code == 1, result.output
    assert "UTF-8" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("content", "merchant", "message"),
    [
        ("colour\nred\n", None, "sku column"),
        (f"{HEADER}\nOK-1,Dispose,,,,,\n", "mch_unknown", "not found"),
    ],
)
def test_import_preferences_refuses_a_bad_file_or_merchant(
    database: Engine,
    session_factory: sessionmaker[Session],
    tmp_path: Path,
    content: str,
    merchant: str | None,
    message: str,
) -> None:
    merchant_id = _merchant_with_products(session_factory, ["OK-1"])
    csv_file = tmp_path / "prefs.csv"
    csv_file.write_text(content, encoding="utf-8")
    result = run("import-preferences", str(csv_file), "--merchant", merchant or merchant_id)
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert _preferences(session_factory, merchant_id) == {"OK-1": ("Restock", False)}


def test_import_preferences_of_a_missing_file_is_a_usage_error(database: Engine, tmp_path: Path) -> None:
    result = run("import-preferences", str(tmp_path / "missing.csv"), "--merchant", "mch_x")
    assert result.exit_code == 2


def test_admin_disable_user_stops_its_sign_in_and_unknown_email_is_exit_1(
    database: Engine, session_factory: sessionmaker[Session]
) -> None:
    fc = secret_after(run("admin", "fc", "Reno", "US").output, "fulfillment center")
    assert (
        run(
            "admin", "user", "ops@example.com", "--password", "long-enough-pw", "--role", "Operator", "--fc", fc
        ).exit_code
        == 0
    )
    result = run("admin", "disable-user", "OPS@example.com")
    assert result.exit_code == 0, result.output
    with database.connect() as conn:
        assert conn.execute(select(core.users.c.disabled_at)).scalar_one() is not None
    assert run("admin", "disable-user", "nobody@example.com").exit_code == 1
