"""What the heavy tests need from the machine, and what happens when it is missing.

In CI a missing interpreter or database is a broken machine, so the test fails; on a
developer's machine it is a gap, so the test skips and says what to install or start.
"""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path
from typing import NoReturn
from urllib.parse import urlsplit

import pytest

DEFAULT_POSTGRES_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
DEFAULT_MYSQL_URL = "mysql+asyncmy://root@127.0.0.1:3306/test"
CONNECT_TIMEOUT_SECONDS = 3.0


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def missing(what: str, hint: str) -> NoReturn:
    if in_ci():
        pytest.fail(f"{what} is required in CI but is not available: {hint}")
    pytest.skip(f"{what} is not available: {hint}")


def postgres_url() -> str:
    """The server the PostgreSQL run uses: TEST_DATABASE_URL if set, else the local default."""
    return os.environ.get("TEST_DATABASE_URL") or DEFAULT_POSTGRES_URL


def postgres_reachable(url: str) -> bool:
    return _accepts_connections(url, default_port=5432)


def mysql_url() -> str:
    """The server the database=mysql run uses: TEST_MYSQL_URL if set, else the local MariaDB."""
    return os.environ.get("TEST_MYSQL_URL") or DEFAULT_MYSQL_URL


def mysql_reachable(url: str) -> bool:
    return _accepts_connections(url, default_port=3306)


def _accepts_connections(url: str, default_port: int) -> bool:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or default_port
    try:
        with socket.create_connection((host, port), timeout=CONNECT_TIMEOUT_SECONDS):
            return True
    except OSError:
        return False


def free_port() -> int:
    """A port nothing listens on now; the server binds it a moment later."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def promtool() -> Path:
    """Prometheus's rule checker, from PATH. It ships no wheel; Debian's package has it."""
    found = shutil.which("promtool")
    if found is None:
        missing(
            "promtool",
            "install it with `apt-get install --no-install-recommends prometheus` on Debian or "
            "Ubuntu (.ci/run does), or put a Prometheus release's promtool on PATH",
        )
    return Path(found)
