"""Authorization is code, not asserts: it holds when Python strips assert statements (`python -O`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from boomerang.bootstrap import make_uow_factory
from boomerang.domain.errors import Forbidden
from boomerang.domain.tenants import Principal, Role

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("role", [Role.Operator, Role.Admin, Role.Integration])
def test_a_merchant_use_case_refuses_a_principal_without_a_merchant(
    session_factory: sessionmaker[Session], role: Role
) -> None:
    with (
        make_uow_factory(session_factory)(Principal(role, "cred", "someone")) as uow,
        pytest.raises(Forbidden) as refused,
    ):
        uow.require_merchant()
    assert refused.value.code == "forbidden"


@pytest.mark.several_connections
def test_tenant_isolation_and_roles_hold_under_python_dash_o() -> None:
    assert sys.flags.optimize == 0, "run the outer suite without -O; this test starts its own -O interpreter"
    result = subprocess.run(
        [
            sys.executable,
            "-O",
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:xdist",
            "-W",
            "ignore::pytest.PytestConfigWarning",
            "tests/api/test_tenant_isolation.py",
            "tests/api/test_auth_and_roles.py",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and " failed" not in result.stdout
