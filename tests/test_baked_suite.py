"""A baked service's own test suite passes on each offered Python, and on PostgreSQL."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from tests.support.commands import run_ok
from tests.support.projects import InstalledProjects
from tests.support.services import missing, postgres_reachable, postgres_url
from tests.support.template import offered_python_versions

SUITE_TIMEOUT_SECONDS = 900
PASSED = re.compile(r"\b\d+ passed\b")


@pytest.mark.slow
@pytest.mark.parametrize("python_version", offered_python_versions())
def test_suite_passes_on_sqlite(
    installed_projects: InstalledProjects, baked_env: dict[str, str], python_version: str
) -> None:
    project = installed_projects.installed(python_version=python_version)

    result = run_ok(["make", "test"], project, baked_env, timeout=SUITE_TIMEOUT_SECONDS)

    # pytest's header names the interpreter: the suite ran on the Python that was asked for.
    assert re.search(rf"\bPython {re.escape(python_version)}\.\d+", result.stdout)
    assert PASSED.search(result.stdout)


@pytest.mark.slow
def test_suite_passes_on_postgresql(
    installed_projects: InstalledProjects, baked_env: dict[str, str]
) -> None:
    url = postgres_url()
    if not postgres_reachable(url):
        server = urlsplit(url)
        missing(
            "PostgreSQL",
            f"nothing answers at {server.hostname}:{server.port or 5432}; start it, or point "
            "TEST_DATABASE_URL at a server (postgresql+asyncpg://user@host:port/db)",
        )
    project = installed_projects.installed()

    result = run_ok(
        ["make", "test"],
        project,
        {**baked_env, "TEST_DATABASE_URL": url},
        timeout=SUITE_TIMEOUT_SECONDS,
    )

    assert PASSED.search(result.stdout)
