"""The one launcher of a real Boomerang server in its own process (`boomerang serve`, uvicorn), for the
tests that measure its memory, read its logs, kill it, or drive it with a browser — and for bench/."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx

from tests.support.waiting import wait_until

ADMIN_TOKEN = "live-admin-token"
BOOMERANG = Path(sys.executable).parent / "boomerang"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LiveServer:
    """`boomerang serve` on a free port against `database_url`; stdout and stderr go to `log_path`.

    `env` adds or overrides BOOMERANG_* variables. Passwords are hashed at the cheapest cost unless
    `real_password_cost` (bench/ measures what production does)."""

    def __init__(
        self,
        database_url: str,
        data_dir: Path,
        *,
        args: tuple[str, ...] = (),
        real_password_cost: bool = False,
        **env: str,
    ) -> None:
        self.database_url = database_url
        self.args = args
        self.data_dir = data_dir
        data_dir.mkdir(parents=True, exist_ok=True)
        self.env = env if real_password_cost else {"BOOMERANG_PASSWORD_HASH_PROFILE": "CHEAPEST", **env}
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = data_dir / f"server-{self.port}.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.admin = {"Authorization": f"Bearer {ADMIN_TOKEN}"}

    @property
    def kind(self) -> str:
        """ "postgres" or "sqlite": which database the server runs on."""
        return "postgres" if self.database_url.startswith("postgresql") else "sqlite"

    def start(self, *, timeout: float = 180.0) -> LiveServer:
        env = {
            **os.environ,
            "BOOMERANG_ENVIRONMENT": "development",
            "BOOMERANG_DATABASE_URL": self.database_url,
            "BOOMERANG_DATA_DIR": str(self.data_dir),
            "BOOMERANG_ADMIN_TOKEN": ADMIN_TOKEN,
            "BOOMERANG_RATE_LIMIT": "0",
            "BOOMERANG_ANONYMOUS_RATE_LIMIT": "0",
            **self.env,
        }
        command = [str(BOOMERANG), "serve", "--port", str(self.port), *self.args]
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        wait_until(self._ready, timeout=timeout, message=lambda: f"server did not start:\n{self.log()[-3000:]}")
        return self

    def _ready(self) -> bool:
        assert self.process is not None and self.process.poll() is None, f"server exited:\n{self.log()[-3000:]}"
        try:
            return httpx.get(f"{self.base_url}/healthz", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    def client(self, **kwargs: Any) -> httpx.Client:
        return httpx.Client(base_url=self.base_url, timeout=kwargs.pop("timeout", 60), **kwargs)

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def peak_rss_mb(self) -> float:
        """The server process's high-water resident set size (VmHWM), in MB."""
        return _status_kb(self.pid, "VmHWM") / 1024

    def reset_peak_rss(self) -> None:
        Path(f"/proc/{self.pid}/clear_refs").write_text("5")

    def rss_mb(self) -> float:
        return _status_kb(self.pid, "VmRSS") / 1024

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def kill(self) -> None:
        """SIGKILL: no shutdown handlers, no rollback by the server itself."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=30)
        self.process = None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)
        self.process = None

    def __enter__(self) -> LiveServer:
        return self.start() if self.process is None else self

    def __exit__(self, *_: object) -> None:
        self.stop()


def _status_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise AssertionError(f"{field} not in /proc/{pid}/status")
