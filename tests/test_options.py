"""Each answer to each question bakes a complete, parseable, lint-clean service."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from tests.support.commands import run_ok, template_tool
from tests.support.cookies import Cookies, baked_path
from tests.support.options import option_contexts, smallest_context
from tests.support.parsing import unparseable_files
from tests.support.projects import InstalledProjects
from tests.support.rendering import leftover_lines, unrendered_names
from tests.support.template import DEFAULT_SLUG, choices

SUITE_TIMEOUT_SECONDS = 900


@pytest.mark.parametrize("context", option_contexts())
def test_option_bakes_a_complete_service(cookies: Cookies, context: dict[str, Any]) -> None:
    project = baked_path(cookies.bake(extra_context=context))

    assert leftover_lines(project) == []
    assert unrendered_names(project) == []
    assert unparseable_files(project) == []


@pytest.mark.parametrize("context", option_contexts())
def test_option_bakes_ruff_clean_code(
    cookies: Cookies, baked_env: dict[str, str], context: dict[str, Any]
) -> None:
    # ruff needs no install, so every context gets it; mypy runs in the deep bakes.
    project = baked_path(cookies.bake(extra_context=context))
    ruff = template_tool("ruff")

    run_ok([ruff, "check", "--no-cache", "."], project, baked_env)
    run_ok([ruff, "format", "--check", "--no-cache", "."], project, baked_env)


@pytest.mark.parametrize(
    "database", [pytest.param(value, id=f"database={value}") for value in choices()["database"]]
)
def test_lock_matches_pyproject_for_each_database(
    cookies: Cookies, baked_env: dict[str, str], database: str
) -> None:
    # The dependencies differ per database, and so does the lock each bake ships.
    project = baked_path(cookies.bake(extra_context={"database": database}))

    run_ok([template_tool("uv"), "lock", "--check"], project, baked_env)


@pytest.mark.parametrize("provider", choices()["ci_provider"])
def test_ci_files_follow_ci_provider(
    cookies: Cookies, baked_env: dict[str, str], provider: str
) -> None:
    project = baked_path(cookies.bake(extra_context={"ci_provider": provider}))
    github = sorted((project / ".github" / "workflows").glob("*.y*ml"))
    gitlab = project / ".gitlab-ci.yml"

    assert bool(github) == (provider == "github")
    assert gitlab.exists() == (provider == "gitlab")
    if provider == "gitlab":
        check_jsonschema = template_tool("check-jsonschema")
        run_ok(
            [check_jsonschema, "--builtin-schema", "vendor.gitlab-ci", gitlab], project, baked_env
        )


@pytest.mark.parametrize("include", [True, False], ids=["backstage", "no-backstage"])
def test_backstage_files_follow_include_backstage(cookies: Cookies, include: bool) -> None:
    project = baked_path(
        cookies.bake(extra_context={"include_backstage": include, "owner": "group:payments"})
    )
    catalog = project / "catalog-info.yaml"

    assert catalog.exists() == include
    assert (project / "mkdocs.yml").exists() == include
    if include:
        entity = yaml.safe_load(catalog.read_text(encoding="utf-8"))
        assert entity["metadata"]["name"] == DEFAULT_SLUG
        assert entity["spec"]["owner"] == "group:payments"


@pytest.mark.slow
def test_smallest_bake_passes_lint_and_its_suite(
    installed_projects: InstalledProjects, baked_env: dict[str, str]
) -> None:
    # Switching things off must not leave imports, routes, tests or contracts that point at
    # them: mypy, the import contracts and the suite find what ruff cannot.
    project = installed_projects.installed(**smallest_context())

    run_ok(["make", "lint"], project, baked_env)
    run_ok(["make", "test"], project, baked_env, timeout=SUITE_TIMEOUT_SECONDS)
