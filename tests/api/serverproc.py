"""Running the real ``sanctionwatch`` console command (``serve``, ``lists import``, ``keys``) in
subprocesses on a test's own SQLite database, for the server tests."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType

import httpx

__all__ = ["Server", "console_command", "free_port", "run_cli"]


def console_command() -> str:
    """The installed ``sanctionwatch`` command of this venv."""
    found = Path(sys.executable).parent / "sanctionwatch"
    if found.is_file():
        return str(found)
    on_path = shutil.which("sanctionwatch")
    assert on_path, "the sanctionwatch console command is not installed (pip install -e .)"
    return on_path


def _env(folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SANCTIONWATCH_", "FORCE_COLOR"))}
    env["SANCTIONWATCH_DATA_DIR"] = str(folder / "data")
    return env


def run_cli(
    db_url: str, folder: Path, *args: str | Path, check: bool = True
) -> subprocess.CompletedProcess[str]:
    """Run ``sanctionwatch --db DB_URL ARGS...`` to completion."""
    done = subprocess.run(
        [console_command(), "--db", db_url, *map(str, args)],
        capture_output=True,
        text=True,
        env=_env(folder),
        timeout=300,
        check=False,
    )
    if check:
        assert done.returncode == 0, (done.stdout, done.stderr)
    return done


def free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Server:
    """``sanctionwatch serve`` on a free loopback port, its output in files under ``folder``.

    With ``db_url`` None the command gets no ``--db`` and runs in ``env`` as given (the quick-start
    test: default settings); otherwise in this process's environment without ``SANCTIONWATCH_*``.
    Use as a context manager: leaving it terminates the server (SIGTERM) if still running.
    """

    def __init__(
        self, db_url: str | None, folder: Path, *args: str, env: Mapping[str, str] | None = None
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.stdout_path = folder / f"serve-{self.port}.out"
        self.stderr_path = folder / f"serve-{self.port}.err"
        db = ["--db", db_url] if db_url is not None else []
        with self.stdout_path.open("wb") as out, self.stderr_path.open("wb") as err:
            self.proc = subprocess.Popen(
                [console_command(), *db, "serve", "--port", str(self.port), *args],
                stdout=out,
                stderr=err,
                env=dict(env) if env is not None else _env(folder),
            )

    @property
    def stdout(self) -> str:
        return self.stdout_path.read_text(encoding="utf-8", errors="replace")

    @property
    def stderr(self) -> str:
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")

    def wait_for(self, path: str, status: int = 200, timeout: float = 120.0) -> httpx.Response:
        """Poll ``GET path`` until it answers ``status``; fail with the server's output otherwise."""
        deadline = time.monotonic() + timeout
        last: httpx.Response | Exception | None = None
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, f"server exited {self.proc.returncode}:\n{self.stderr}"
            try:
                response = httpx.get(self.url + path, timeout=5)
                if response.status_code == status:
                    return response
                last = response
            except httpx.TransportError as exc:
                last = exc
            time.sleep(0.1)
        raise AssertionError(f"GET {path} never answered {status} (last: {last!r}):\n{self.stderr}")

    def stop(self, timeout: float = 30.0) -> int:
        """Terminate with SIGTERM (as a service manager does) and wait; the exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError(f"server ignored SIGTERM for {timeout} s:\n{self.stderr}") from None

    def __enter__(self) -> Server:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
