"""The real server, killed outright right after answering, has written every access line.

A process killed by SIGKILL (or the out-of-memory killer) runs no more code: whatever it had
not handed to the kernel is lost. Its last requests are the ones an operator looks for after
a crash, so the access line must reach standard error before the answer reaches the client.
"""

from __future__ import annotations

import http.client
import json
from pathlib import Path

import pytest

from tests.serving.server_process import ServerProcess, server_process

LIVENESS = "/health/live"  # answered before the middleware stack (core/http/liveness.py)
ROUTED = "/api/v1/users/me"  # through the whole stack: a 401 without a token


def access_lines(server: ServerProcess) -> dict[str, dict[str, object]]:
    """The access lines the server has written so far, by request id."""
    lines = [json.loads(line) for line in server.stderr().splitlines()]
    return {line["request_id"]: line for line in lines if line.get("logger") == "access"}


@pytest.mark.server
@pytest.mark.parametrize(
    "paths",
    [(LIVENESS,), (ROUTED,), (LIVENESS, ROUTED, LIVENESS, ROUTED, LIVENESS)],
    ids=["the probe", "a routed request", "five in a row on one keep-alive connection"],
)
def test_no_access_line_is_lost_when_the_server_is_killed_after_answering(
    tmp_path: Path, paths: tuple[str, ...]
) -> None:
    with server_process(tmp_path) as server:
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

        logged = access_lines(server)

    expected = {f"answered-{number}": path for number, path in enumerate(paths)}
    missing = sorted(set(expected) - set(logged))
    assert not missing, f"{len(missing)} of {len(paths)} answered requests have no access line"
    assert [logged[request_id]["url.path"] for request_id in expected] == list(paths)
    assert [logged[request_id]["http.response.status_code"] for request_id in expected] == statuses
