"""Demo and benchmark data are not the product: an API or worker process never loads `boomerang.sample`;
only `boomerang serve --demo` and `boomerang bench` do, inside those commands."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

PROBE = """
import json, sys
from boomerang.config import Settings
{body}
print(json.dumps(sorted(name for name in sys.modules if name.startswith("boomerang."))))
"""
APP = """
from boomerang.entrypoints.http.app import create_app
create_app(Settings(database_url="sqlite:///:memory:"))
"""
WORKER = "import boomerang.entrypoints.worker"
CLI = "import boomerang.entrypoints.cli"


def loaded_by(body: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(body=body)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.splitlines()[-1]))


@pytest.mark.parametrize("process", [APP, WORKER, CLI], ids=["api app", "worker", "cli"])
def test_no_api_worker_or_cli_start_up_loads_the_sample_data(process: str) -> None:
    loaded = loaded_by(process)
    assert len(loaded) > 3, "the probe imported nothing"
    assert {name for name in loaded if name.startswith("boomerang.sample")} == set()


def test_the_demo_loader_is_the_sample_package() -> None:
    assert "boomerang.sample.demo" in loaded_by("from boomerang.sample import demo, demo_history")
