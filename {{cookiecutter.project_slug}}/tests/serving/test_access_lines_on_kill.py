"""The real server, killed outright right after answering, has written every access line.

A process killed by SIGKILL (or the out-of-memory killer) runs no more code: whatever it had
not handed to the kernel is lost. Its last requests are the ones an operator looks for after
a crash, so the access line must reach standard error before the answer reaches the client.
"""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import TEST_SECRET
from tests.serving.test_server import _free_port, _wait_until_live

LIVENESS = "/health/live"  # answered before the middleware stack (core/http/liveness.py)
ROUTED = "/api/v1/users/me"  # through the whole stack: a 401 without a token


class KillableServer:
    def __init__(self, process: subprocess.Popen[bytes], port: int, stderr: Path) -> None:
        self.process = process
        self.port = port
        self.stderr = stderr

    def access_lines(self) -> dict[str, dict[str, object]]:
        """The access lines written so far, by request id."""
        lines = [json.loads(line) for line in self.stderr.read_text().splitlines()]
        return {line["request_id"]: line for line in lines if line.get("logger") == "access"}


@contextmanager
def killable_server(tmp_path: Path) -> Iterator[KillableServer]:
    """`serve` with JSON logs, its standard error in a file (which keeps what was written)."""
    port = _free_port()
    stderr_path = tmp_path / "stderr.log"
    env = {
        **os.environ,
        "SECRET_KEY": TEST_SECRET,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'server.db'}",
        "LOG_FORMAT": "json",
    }
    with stderr_path.open("wb") as stderr:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "{{ cookiecutter.package_name }}", "serve", "--port", str(port)],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    try:
        _wait_until_live(f"http://127.0.0.1:{port}{LIVENESS}", process)
        yield KillableServer(process, port, stderr_path)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=15)


@pytest.mark.server
@pytest.mark.parametrize(
    "paths",
    [(LIVENESS,), (ROUTED,), (LIVENESS, ROUTED, LIVENESS, ROUTED, LIVENESS)],
    ids=["the probe", "a routed request", "five in a row on one keep-alive connection"],
)
def test_no_access_line_is_lost_when_the_server_is_killed_after_answering(
    tmp_path: Path, paths: tuple[str, ...]
) -> None:
    with killable_server(tmp_path) as server:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        statuses = []
        for number, path in enumerate(paths):
            connection.request("GET", path, headers={"X-Request-ID": f"answered-{number}"})
            response = connection.getresponse()
            response.read()  # the whole answer, as the client holds it
            statuses.append(response.status)
        server.process.kill()  # SIGKILL, at once: no exit handler, no further event-loop turn
        server.process.wait(timeout=15)
        connection.close()

        logged = server.access_lines()

    expected = {f"answered-{number}": path for number, path in enumerate(paths)}
    missing = sorted(set(expected) - set(logged))
    assert not missing, f"{len(missing)} of {len(paths)} answered requests have no access line"
    assert [logged[request_id]["path"] for request_id in expected] == list(paths)
    assert [logged[request_id]["status"] for request_id in expected] == statuses
