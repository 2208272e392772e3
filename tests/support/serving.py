"""A baked service's `serve` command running as a real process, for tests that talk HTTP to it."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.support.services import free_port
from tests.support.template import DEFAULT_PACKAGE

STARTUP_TIMEOUT_SECONDS = 30.0


class Server:
    def __init__(self, process: subprocess.Popen[bytes], base_url: str, log: Path) -> None:
        self.process = process
        self.base_url = base_url
        self.log = log

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_until_live(self) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"the server exited with {self.process.returncode}:\n{self.output()}")
            try:
                if httpx.get(f"{self.base_url}/health/live", timeout=1.0).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        pytest.fail(
            f"the server did not answer within {STARTUP_TIMEOUT_SECONDS}s:\n{self.output()}"
        )


@contextmanager
def serving(project: Path, env: Mapping[str, str], log: Path) -> Iterator[Server]:
    """`project` serving on a free loopback port, its output in `log`; killed at the end."""
    port = free_port()
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [
                project / ".venv" / "bin" / "python",
                "-m",
                DEFAULT_PACKAGE,
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            cwd=project,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield Server(process, f"http://127.0.0.1:{port}", log)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
