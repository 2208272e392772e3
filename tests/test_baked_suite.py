"""The deep contexts install and pass their own `make check`.

`make check` is what the baked project's CI runs: ruff, ruff format, mypy strict, the import
contracts and the whole suite with its coverage floor. Between them the deep contexts use
every offered Python, and those whose production database is PostgreSQL or MySQL run their
suite against the real server (MariaDB for MySQL).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.support.commands import run_ok
from tests.support.options import DEEP_CONTEXTS, defaults
from tests.support.projects import InstalledProjects
from tests.support.services import (
    missing,
    mysql_reachable,
    mysql_url,
    postgres_reachable,
    postgres_url,
)

CHECK_TIMEOUT_SECONDS = 1200
PASSED = re.compile(r"\b\d+ passed\b")
FAILED_OR_SKIPPED = re.compile(r"\b\d+ (failed|skipped|errors?)\b")
# The database each production answer's suite runs on, as the baked conftest's header names it.
SERVER_NAMES = {"postgresql": "PostgreSQL", "mysql": "MySQL", "sqlite": "SQLite"}


def reachable_postgres_url() -> str:
    url = postgres_url()
    if not postgres_reachable(url):
        server = urlsplit(url)
        missing(
            "PostgreSQL",
            f"nothing answers at {server.hostname}:{server.port or 5432}; start it, or point "
            "TEST_DATABASE_URL at a server (postgresql+asyncpg://user@host:port/db)",
        )
    return url


def reachable_mysql_url() -> str:
    url = mysql_url()
    if not mysql_reachable(url):
        server = urlsplit(url)
        missing(
            "MariaDB (or MySQL 8)",
            f"nothing answers at {server.hostname}:{server.port or 3306}; start it, or point "
            "TEST_MYSQL_URL at a server (mysql+asyncmy://user@host:port/db)",
        )
    return url


@pytest.mark.slow
@pytest.mark.parametrize("context", DEEP_CONTEXTS)
def test_deep_context_passes_make_check(
    installed_projects: InstalledProjects, baked_env: dict[str, str], context: dict[str, Any]
) -> None:
    answers = {**defaults(), **context}
    database = answers["database"]
    env = dict(baked_env)
    if database == "postgresql":
        env["TEST_DATABASE_URL"] = reachable_postgres_url()
    elif database == "mysql":
        env["TEST_DATABASE_URL"] = reachable_mysql_url()
    project = installed_projects.installed(**context)

    result = run_ok(["make", "check"], project, env, timeout=CHECK_TIMEOUT_SECONDS)

    assert "Success: no issues found" in result.stdout  # mypy's verdict, not just its exit
    # pytest's header names the interpreter and the database this run proves.
    assert re.search(rf"\bPython {re.escape(answers['python_version'])}\.\d+", result.stdout)
    assert f"database: {SERVER_NAMES[database]}" in result.stdout
    assert PASSED.search(result.stdout)
    assert not FAILED_OR_SKIPPED.search(result.stdout)
