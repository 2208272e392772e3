"""A baked service is lint-clean and its lock matches its pyproject, on every offered Python."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.commands import run_ok, template_tool
from tests.support.projects import InstalledProjects
from tests.support.template import offered_python_versions

LINT_TIMEOUT_SECONDS = 600


@pytest.mark.slow
@pytest.mark.parametrize("python_version", offered_python_versions())
def test_make_lint_passes(
    installed_projects: InstalledProjects, baked_env: dict[str, str], python_version: str
) -> None:
    # ruff's target and mypy's python_version follow the answer, so each version is linted.
    project = installed_projects.installed(python_version=python_version)

    result = run_ok(["make", "lint"], project, baked_env, timeout=LINT_TIMEOUT_SECONDS)

    assert "Success: no issues found" in result.stdout  # mypy's verdict, not just its exit


@pytest.mark.slow
def test_lock_file_is_up_to_date(default_project: Path, baked_env: dict[str, str]) -> None:
    # `make install` runs `uv sync --frozen`, which trusts uv.lock blindly; this proves the
    # lock still satisfies pyproject.toml for the baked project's name and dependencies.
    run_ok([template_tool("uv"), "lock", "--check"], default_project, baked_env)
