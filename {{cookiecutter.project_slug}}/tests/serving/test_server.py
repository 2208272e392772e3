"""The real server process: starts, serves, and shuts down cleanly on SIGTERM."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import TEST_SECRET
from tests.serving.server_process import server_process


@pytest.mark.server
def test_sigterm_shuts_the_server_down_with_exit_status_0(tmp_path: Path) -> None:
    with server_process(tmp_path) as server:
        assert server.get("/health/live").status_code == 200
        _, stderr = server.stop_and_wait(timeout=15)
    assert server.process.returncode == 0, stderr
    assert '"event":"shutdown"' in stderr
    assert TEST_SECRET not in stderr
