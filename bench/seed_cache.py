"""Seeded data sets kept between runs (`python -m bench --cache`).

Seeding 1,000,000 returns takes 20 to 30 minutes; copying a seeded set takes one or two. With `--cache`,
each data set is seeded once into the cache (a SQLite file under `BOOMERANG_BENCH_CACHE`, default
/var/tmp/boomerang-bench-cache, or a `boomerang_bench_cache_*` database on the PostgreSQL server) and
every run works on a fresh copy of it, so a run never sees an earlier run's writes. The cache key holds
the size and the generator's source (a change to the generator seeds again); each copy is then migrated
to the current head, as a production database would be. `python -m bench --drop-cache` removes every
cached set.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import time
from pathlib import Path

from sqlalchemy import create_engine, text

from bench.harness import BIN, PG_SERVER, console, seed

SRC = Path(__file__).resolve().parents[1] / "src" / "boomerang"
CACHE_DIR = Path(os.environ.get("BOOMERANG_BENCH_CACHE", "/var/tmp/boomerang-bench-cache"))
PG_PREFIX = "boomerang_bench_cache_"


def cache_key(returns: int) -> str:
    """`r<size>_<digest>`: the digest covers the generator's source."""
    digest = hashlib.sha256()
    for source in ("sample/bench_seed.py", "sample/bench_catalog.py", "adapters/bulk_writer.py"):
        digest.update((SRC / source).read_bytes())
    return f"r{returns}_{digest.hexdigest()[:10]}"


def fill(kind: str, url: str, returns: int) -> float:
    """Make the empty database at `url` a copy of the cached set of `returns` returns (seeding it first
    if the cache has none); returns the seconds taken."""
    started = time.perf_counter()
    key = cache_key(returns)
    if kind == "sqlite":
        _fill_sqlite(Path(url.split("///", 1)[1]), key, returns)
    else:
        _fill_postgres(url, key, returns)
    subprocess.run(
        [str(BIN / "boomerang"), "db", "upgrade"], env={**os.environ, "BOOMERANG_DATABASE_URL": url}, check=True
    )
    return time.perf_counter() - started


def _fill_sqlite(target: Path, key: str, returns: int) -> None:
    cached = CACHE_DIR / f"sqlite-{key}.db"
    if not cached.exists():
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(".partial")
        console.print(f"  not cached: seeding {cached}")
        seed(f"sqlite:///{partial}", returns)
        conn = sqlite3.connect(partial)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything into the main file: the copy takes it alone
        conn.close()
        partial.rename(cached)
    console.print(f"  copying {cached.name} ({cached.stat().st_size / 2**30:.1f} GiB)")
    shutil.copyfile(cached, target)


def _fill_postgres(url: str, key: str, returns: int) -> None:
    cached = PG_PREFIX + key
    target = url.rsplit("/", 1)[1]
    server = create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as conn:
            if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": cached}).first():
                partial = f"{cached}_partial"
                console.print(f"  not cached: seeding database {cached}")
                conn.execute(text(f'DROP DATABASE IF EXISTS "{partial}" WITH (FORCE)'))
                conn.execute(text(f'CREATE DATABASE "{partial}"'))
                seed(PG_SERVER.rsplit("/", 1)[0] + f"/{partial}", returns)
                conn.execute(text(f'ALTER DATABASE "{partial}" RENAME TO "{cached}"'))
            console.print(f"  copying database {cached}")
            conn.execute(text(f'DROP DATABASE "{target}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{target}" TEMPLATE "{cached}"'))
    finally:
        server.dispose()


def drop_cache() -> None:
    """Every cached set: the SQLite files and the PostgreSQL databases."""
    for path in CACHE_DIR.glob("sqlite-r*"):  # cached sets and partial seeds, nothing else
        path.unlink()
        console.print(f"removed {path}")
    server = create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as conn:
            names = conn.execute(text("SELECT datname FROM pg_database WHERE datname LIKE :p"), {"p": PG_PREFIX + "%"})
            for (name,) in names.all():
                conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
                console.print(f"dropped database {name}")
    finally:
        server.dispose()
