"""The option matrix: every value of every question, and every pair of values, bakes a
complete, parseable, schema-valid, lint-clean service; refused combinations fail the bake."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from cookiecutter.exceptions import FailedHookException

from tests.support.commands import run_ok, template_tool
from tests.support.cookies import Cookies, assert_refused_by_the_hook, baked_path
from tests.support.hooks import pre_gen_hook
from tests.support.options import MATRIX, context_id, matrix_contexts, uncovered_pairs
from tests.support.parsing import unparseable_files
from tests.support.rendering import leftover_lines, unrendered_names
from tests.support.schemas import files_by_schema
from tests.support.template import DEFAULT_SLUG, choices
from tests.support.tree import empty_folders


def test_matrix_covers_every_pair_of_answers() -> None:
    # A new question or value fails here until some MATRIX context bakes it with every
    # value of every other question.
    assert uncovered_pairs() == []
    assert len({context_id(context) for context in MATRIX}) == len(MATRIX)


@pytest.mark.parametrize("context", matrix_contexts())
def test_context_bakes_a_complete_service(
    cookies: Cookies, baked_env: dict[str, str], context: dict[str, Any]
) -> None:
    result = cookies.bake(extra_context=context)
    assert result.exit_code == 0, result.exception
    project = baked_path(result)

    assert leftover_lines(project) == []
    assert unrendered_names(project) == []
    assert unparseable_files(project) == []
    assert empty_folders(project) == []
    checker = template_tool("check-jsonschema")
    for schema, paths in files_by_schema(project).items():
        run_ok([checker, "--builtin-schema", schema, *paths], project, baked_env)
    # ruff needs no install, so every context gets it; mypy runs in the deep contexts.
    ruff = template_tool("ruff")
    run_ok([ruff, "check", "--no-cache", "."], project, baked_env)
    run_ok([ruff, "format", "--check", "--no-cache", "."], project, baked_env)


def test_default_bake_has_a_workflow_and_a_compose_file(default_project: Path) -> None:
    # Guards the schema check above against passing because its globs match nothing.
    assert {"vendor.github-workflows", "vendor.compose-spec"} <= set(
        files_by_schema(default_project)
    )


@pytest.mark.parametrize(
    ("combination", "reason"),
    [
        pytest.param(combination, reason, id="+".join(f"{k}={v}" for k, v in combination.items()))
        for combination, reason in pre_gen_hook().UNSUPPORTED_COMBINATIONS
    ],
)
def test_unsupported_combination_fails_the_bake(
    cookies: Cookies,
    tmp_path: Path,
    capfd: pytest.CaptureFixture[str],
    combination: dict[str, Any],
    reason: str,
) -> None:
    result = cookies.bake(extra_context=combination)

    answers = " and ".join(
        f"{key}={str(value).lower() if isinstance(value, bool) else value}"
        for key, value in combination.items()
    )
    message = f"error: {answers} cannot be combined: {reason}"
    assert_refused_by_the_hook(result, capfd.readouterr().err, message, tmp_path / "cookies")


def test_sqlite_with_kubernetes_is_refused_with_a_way_out(
    cookies: Cookies, capfd: pytest.CaptureFixture[str]
) -> None:
    # The one refusal today, spelled out: the message names the answers that would work.
    result = cookies.bake(extra_context={"database": "sqlite"})

    assert isinstance(result.exception, FailedHookException)
    assert "answer include_kubernetes=false, or database=postgresql" in capfd.readouterr().err


@pytest.mark.parametrize(
    "database", [pytest.param(value, id=f"database={value}") for value in choices()["database"]]
)
def test_lock_matches_pyproject_for_each_database(
    cookies: Cookies, baked_env: dict[str, str], database: str
) -> None:
    # The dependencies differ per database, and so does the lock each bake ships.
    # Kubernetes needs PostgreSQL (the hook refuses it with SQLite).
    answers = {"database": database, "include_kubernetes": database == "postgresql"}
    project = baked_path(cookies.bake(extra_context=answers))

    run_ok([template_tool("uv"), "lock", "--check"], project, baked_env)


@pytest.mark.parametrize("provider", choices()["ci_provider"])
def test_ci_files_follow_ci_provider(cookies: Cookies, provider: str) -> None:
    project = baked_path(cookies.bake(extra_context={"ci_provider": provider}))
    github = sorted((project / ".github" / "workflows").glob("*.y*ml"))
    gitlab = project / ".gitlab-ci.yml"

    assert bool(github) == (provider == "github")
    assert gitlab.exists() == (provider == "gitlab")


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
