"""Orphan photo files (issue 22 item 10): a rolled-back or killed upload leaves a file no row names; the worker's
hourly job removes such files once they are over a day old, never a younger one (its upload may be committing
right now) nor one a row names; `boomerang photos sweep-orphans [--dry-run]` does the same from the shell."""

from __future__ import annotations

import os
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from boomerang.bootstrap import make_uow_factory
from boomerang.config import Settings, get_settings
from boomerang.domain.ids import new_id
from boomerang.entrypoints import worker
from boomerang.entrypoints.cli import app as cli
from boomerang.services import photos
from boomerang.services.auth import SYSTEM
from boomerang.services.unit_of_work import UnitOfWork
from tests.api.dock import image_bytes, upload_photo
from tests.support.builders import Api, FrozenClock

DAY = timedelta(days=1)
ORPHAN_BYTES = b"\xff\xd8 not committed"


def stored(settings: Settings) -> Path:
    return settings.data_dir / "photos"


def file_written_at(folder: Path, name: str, when: datetime) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(ORPHAN_BYTES)
    os.utime(path, (when.timestamp(), when.timestamp()))
    return path


def uploaded_photo(api: Api, settings: Settings, written_at: datetime) -> Path:
    """A photo uploaded through the API (its row committed), its file last written at `written_at`."""
    merchant, fc, operator = api.setup()
    order = api.return_order(merchant, fc["id"])
    response = upload_photo(api, operator, order["id"], image_bytes("PNG"))
    assert response.status_code == 201, response.text
    (path,) = stored(settings).glob(f"{response.json()['photo_id']}.*")
    os.utime(path, (written_at.timestamp(), written_at.timestamp()))
    return path


def sweep(session_factory: sessionmaker[Session], settings: Settings, clock: FrozenClock) -> dict[str, int]:
    ctx = worker.WorkerContext(session_factory, settings, clock)
    return worker.run_once(ctx, [job for job in worker.JOBS if job.name == "photo_orphans"])


def test_the_worker_removes_old_orphans_and_keeps_young_ones_and_named_ones(
    api: Api, settings: Settings, session_factory: sessionmaker[Session], clock: FrozenClock
) -> None:
    now = clock.now
    named = uploaded_photo(api, settings, now - 3 * DAY)
    old_orphan = file_written_at(stored(settings), f"{new_id('pho')}.jpg", now - DAY - timedelta(minutes=1))
    killed_write = file_written_at(stored(settings), f"{new_id('pho')}.png.part", now - 2 * DAY)
    young_orphan = file_written_at(stored(settings), f"{new_id('pho')}.webp", now - DAY + timedelta(minutes=1))
    not_a_photo = file_written_at(stored(settings), "README.txt", now - 30 * DAY)

    assert sweep(session_factory, settings, clock) == {"photo_orphans": 2}

    assert not old_orphan.exists() and not killed_write.exists()
    assert named.exists() and young_orphan.exists() and not_a_photo.exists()
    assert sweep(session_factory, settings, clock) == {"photo_orphans": 0}


def test_a_sweep_checks_names_against_the_database_a_chunk_at_a_time(
    api: Api,
    settings: Settings,
    session_factory: sessionmaker[Session],
    clock: FrozenClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(photos, "SWEEP_CHUNK", 3)
    old = clock.now - 2 * DAY
    named = [uploaded_photo(api, settings, old) for _ in range(4)]
    orphans = [file_written_at(stored(settings), f"{new_id('pho')}.jpg", old) for _ in range(7)]
    uow_factory = make_uow_factory(session_factory, settings, clock)
    opened: list[UnitOfWork] = []

    def new_uow() -> UnitOfWork:
        opened.append(uow_factory(SYSTEM, read_only=True))
        return opened[-1]

    swept = photos.sweep_orphan_photos(new_uow)
    assert (swept.checked, swept.removed, swept.removed_bytes) == (11, 7, 7 * len(ORPHAN_BYTES))
    assert len(opened) == 1 + 4  # the settings, then one query per chunk of at most 3 names
    assert all(p.exists() for p in named) and not any(p.exists() for p in orphans)


def test_a_sweep_of_a_data_dir_without_photos_finds_nothing(
    settings: Settings, session_factory: sessionmaker[Session], clock: FrozenClock
) -> None:
    assert sweep(session_factory, settings, clock) == {"photo_orphans": 0}


@pytest.mark.several_connections
def test_the_command_line_sweep_counts_first_with_dry_run_then_removes(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    data_dir = tmp_path / "cli-data"
    monkeypatch.setenv("BOOMERANG_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("BOOMERANG_DATA_DIR", str(data_dir))
    get_settings.cache_clear()
    try:
        a_day_ago = datetime.fromtimestamp(time.time()) - DAY - timedelta(minutes=5)
        orphan = file_written_at(data_dir / "photos", f"{new_id('pho')}.jpg", a_day_ago)
        dry = CliRunner().invoke(cli, ["photos", "sweep-orphans", "--dry-run"])
        assert dry.exit_code == 0, dry.output
        assert "would remove 1 orphan photo files" in dry.output and orphan.exists()
        real = CliRunner().invoke(cli, ["photos", "sweep-orphans"])
        assert real.exit_code == 0 and "removed 1 orphan photo files" in real.output
        assert not orphan.exists()
    finally:
        get_settings.cache_clear()
