"""Fixtures shared by the template tests: clean environments and shared bakes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.commands import clean_environment, template_tool
from tests.support.cookies import Cookies, baked_path
from tests.support.projects import InstalledProjects


@pytest.fixture(scope="session")
def tool_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding only the template's uv, to put on the baked projects' PATH."""
    folder = tmp_path_factory.mktemp("tools")
    (folder / "uv").symlink_to(template_tool("uv"))
    return folder


@pytest.fixture(scope="session")
def baked_env(tool_dir: Path) -> dict[str, str]:
    return clean_environment(tool_dir)


@pytest.fixture(scope="session")
def default_project(cookies_session: Cookies) -> Path:
    """One bake with the default answers, shared by the tests that only read it."""
    return baked_path(cookies_session.bake())


@pytest.fixture(scope="session")
def installed_projects(cookies_session: Cookies, baked_env: dict[str, str]) -> InstalledProjects:
    return InstalledProjects(cookies_session, baked_env)
