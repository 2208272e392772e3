"""The real `serve` command in a child process, for the tests that need a real server.

The server binds port 0 and the kernel picks a free port as it binds; the port is read back
from the server's own start-up line. Choosing a free port beforehand and passing it on would
race: between the choice and the bind, another test's server or client can take the port,
and a server that then fails to bind goes unnoticed while another one answers in its place.

Standard error goes to a file, not a pipe: a pipe nobody reads fills up and stops the server
at its next log line, and a file keeps every line a killed server had written.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.conftest import TEST_SECRET
{%- if cookiecutter.auth_provider == "oidc" %}
from tests.oidc_issuer import AUDIENCE, shared_issuer
{%- endif %}

PROJECT_ROOT = Path(__file__).resolve().parents[2]
STARTUP_TIMEOUT_SECONDS = 30.0
LIVENESS = "/health/live"
# uvicorn's start-up line, which names the port it bound when it was given port 0.
_LISTENING = re.compile(r"Uvicorn running on http://127\.0\.0\.1:(\d+)")


class ServerProcess:
    def __init__(self, process: subprocess.Popen[bytes], stderr_path: Path) -> None:
        self.process = process
        self.stderr_path = stderr_path
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stderr(self) -> str:
        """Everything the server has written to standard error so far."""
        return self.stderr_path.read_text(errors="replace")

    def describe(self) -> str:
        """How the server is doing, for an assertion message: running or its exit, last lines."""
        status = self.process.poll()
        state = "running" if status is None else f"exited with {status}"
        tail = "\n".join(self.stderr().splitlines()[-20:])
        return f"the server process is {state}; the end of its standard error:\n{tail}"

    def get(self, path: str, timeout: float = 5.0) -> httpx.Response:
        try:
            return httpx.get(f"{self.base_url}{path}", timeout=timeout)
        except httpx.TransportError as error:
            raise AssertionError(f"GET {path} failed ({error!r}); {self.describe()}") from error

    def stop_and_wait(self, timeout: float) -> tuple[float, str]:
        """SIGTERM, then the seconds until the process ended and its standard error."""
        sent = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=timeout)
        return time.monotonic() - sent, self.stderr()

    def wait_until_live(self) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
        while not self.port:
            assert self.process.poll() is None, (
                f"the server exited during start-up; {self.describe()}"
            )
            assert time.monotonic() < deadline, f"no start-up line; {self.describe()}"
            if found := _LISTENING.search(self.stderr()):
                self.port = int(found.group(1))
            else:
                time.sleep(0.05)
        while time.monotonic() < deadline:
            assert self.process.poll() is None, (
                f"the server exited during start-up; {self.describe()}"
            )
            try:
                if httpx.get(f"{self.base_url}{LIVENESS}", timeout=1.0).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        raise AssertionError(f"{LIVENESS} did not answer in time; {self.describe()}")


@contextmanager
def server_process(
    folder: Path,
    *options: str,
    module: str = "{{ cookiecutter.package_name }}",
    env: Mapping[str, str] | None = None,
) -> Iterator[ServerProcess]:
    """`python -m <module> serve --port 0 <options>` in `folder` (no .env), with JSON logs.

    `env` overrides the environment below (a DATABASE_URL or REDIS_URL several servers share).
    Killed on the way out if a test left it running.
    """
    env = {
        **os.environ,
        "SECRET_KEY": TEST_SECRET,
{%- if cookiecutter.auth_provider == "oidc" %}
        "OIDC_ISSUER": shared_issuer().issuer,
        "OIDC_AUDIENCE": AUDIENCE,
{%- endif %}
        # Any free port for /metrics: processes of parallel tests must not share one.
        "METRICS_PORT": "0",
        "DATABASE_URL": f"sqlite+aiosqlite:///{folder / 'server.db'}",
        "LOG_FORMAT": "json",
        # For a wrapper module in tests/: the server runs in `folder`, outside the project.
        "PYTHONPATH": str(PROJECT_ROOT),
        **(env or {}),
    }
    stderr_path = folder / "stderr.log"
    command = [sys.executable, "-m", module, "serve", "--port", "0", *options]
    with stderr_path.open("wb") as stderr:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            command, cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=stderr
        )
    server = ServerProcess(process, stderr_path)
    try:
        server.wait_until_live()
        yield server
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=15)
