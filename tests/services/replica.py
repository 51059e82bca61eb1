"""A real PostgreSQL streaming replica of the test server, started and removed by a test.

`pg_basebackup -R` copies the running server (127.0.0.1:5432) into a temporary directory owned by
`postgres`, and that copy is started as a hot standby on a free port with the server binaries found in
/usr/lib/postgresql/*/bin (as the `postgres` user: the server refuses to run as root).

Server change, made once and idempotently: replication connections need a `replication` line in
pg_hba.conf (`all` does not cover them). When the server has none, one line
`host replication postgres 127.0.0.1/32 trust` is appended to its hba_file and the configuration is
reloaded. The server's wal_level (replica) and max_wal_senders (10) are PostgreSQL's defaults.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, make_url, text
from sqlalchemy.exc import OperationalError

from tests.support.waiting import wait_until

HBA_LINE = "host replication postgres 127.0.0.1/32 trust"
HBA_REPLICA = "local all all trust\\nhost all all 127.0.0.1/32 trust\\n"  # the replica's own pg_hba.conf


def postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_basebackup"))
    return Path(found[-1]).parent if found else None


def skip_or_fail(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (required under CI=true)")
    pytest.skip(reason)


def allow_replication(server: Engine) -> None:
    """Add the pg_hba.conf line for replication connections from 127.0.0.1, unless one exists."""
    with server.connect() as conn:
        rules = conn.execute(
            text("SELECT count(*) FROM pg_hba_file_rules WHERE 'replication' = ANY(database) AND error IS NULL")
        ).scalar_one()
        if rules:
            return
        hba = Path(conn.execute(text("SHOW hba_file")).scalar_one())
        if HBA_LINE not in hba.read_text():
            with hba.open("a") as file:
                file.write("\n# added by tests/services/replica.py (streaming replica for the read-replica test)\n")
                file.write(HBA_LINE + "\n")
        conn.execute(text("SELECT pg_reload_conf()"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_postgres(*command: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run([*prefix, *command], check=True, capture_output=True, text=True, **kwargs)  # type: ignore[call-overload,no-any-return]


def _base_backup(binaries: Path, host: str, port: int, data: Path, attempts: int = 5) -> None:
    """Copy the running server into `data`. Other tests write to the server meanwhile (each creates and drops
    its own database), and under that load the copy can lose its WAL stream ("requested WAL segment … has
    already been removed", seen beside the reliability tests): then start again."""
    for attempt in range(1, attempts + 1):
        try:
            _as_postgres(
                str(binaries / "pg_basebackup"),
                *("-h", host, "-p", str(port), "-U", "postgres", "-D", str(data)),
                *("-R", "-X", "stream", "-c", "fast", "--no-sync"),
                timeout=600,
            )
            return
        except subprocess.CalledProcessError as error:
            if attempt == attempts:
                raise AssertionError(f"pg_basebackup failed {attempts} times; last: {error.stderr}") from error
            print(f"pg_basebackup attempt {attempt}: {error.stderr.strip()[-300:]}", file=sys.stderr)
            _as_postgres("rm", "-rf", str(data))


@contextmanager
def streaming_replica(database_url: str) -> Iterator[str]:
    """A hot standby of the server holding `database_url`; yields the URL of the same database on the replica."""
    url = make_url(database_url)
    binaries = postgres_bin()
    if binaries is None:
        skip_or_fail("no PostgreSQL server binaries in /usr/lib/postgresql/*/bin")
        raise AssertionError  # unreachable: skip raises
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        skip_or_fail("running as root without runuser: cannot start postgres as the postgres user")
    server = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    allow_replication(server)
    server.dispose()
    root = Path(tempfile.mkdtemp(prefix="boomerang-replica-"))
    data = root / "data"
    port = _free_port()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    root.chmod(0o700)
    process: subprocess.Popen[str] | None = None
    log_file = None
    try:
        _base_backup(binaries, url.host or "127.0.0.1", url.port or 5432, data)
        # The Debian cluster keeps its configuration in /etc: the copy gets a minimal one of its own.
        _as_postgres("sh", "-c", f"printf 'hot_standby = on\\n' > {data}/postgresql.conf")
        _as_postgres(
            "sh",
            "-c",
            f"printf '{HBA_REPLICA}' > {data}/pg_hba.conf && : > {data}/pg_ident.conf",
        )
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        log = root / "replica.log"
        log_file = log.open("w")
        process = subprocess.Popen(
            [
                *prefix,
                str(binaries / "postgres"),
                *("-D", str(data), "-p", str(port), "-c", f"unix_socket_directories={root}"),
                *("-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"),
                *("-c", f"hba_file={data}/pg_hba.conf", "-c", f"ident_file={data}/pg_ident.conf"),
            ],
            stdout=log_file,
            stderr=subprocess.STDOUT,
            text=True,
        )
        replica_url = url.set(host="127.0.0.1", port=port).render_as_string(hide_password=False)
        _wait_ready(replica_url, process, log)
        yield replica_url
    finally:
        if process is not None:
            process.terminate()  # SIGTERM: smart shutdown; the standby has no clients left
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)
        if log_file is not None:
            log_file.close()
        shutil.rmtree(root, ignore_errors=True)


def _wait_ready(url: str, process: subprocess.Popen[str], log: Path) -> None:
    engine = create_engine(url)

    def in_recovery() -> bool:
        if process.poll() is not None:
            raise RuntimeError(f"the replica exited with {process.returncode}: {log.read_text()[-2000:]}")
        with engine.connect() as conn:
            return bool(conn.execute(text("SELECT pg_is_in_recovery()")).scalar_one())

    try:
        wait_until(
            in_recovery, timeout=60, message="the replica did not accept connections", ignoring=(OperationalError,)
        )
    finally:
        engine.dispose()


def wait_replayed(primary: Engine, replica: Engine, timeout: float = 30) -> None:
    """Until the replica has replayed everything the primary had written when called."""
    with primary.connect() as conn:
        target = conn.execute(text("SELECT pg_current_wal_lsn()")).scalar_one()
    query = text("SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), CAST(:t AS pg_lsn)) >= 0")
    with replica.connect() as conn:

        def caught_up() -> bool:
            conn.rollback()  # a fresh look each time
            return bool(conn.execute(query, {"t": target}).scalar_one())

        wait_until(caught_up, timeout=timeout, message=f"the replica did not replay up to {target} in {timeout} s")
