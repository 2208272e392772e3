"""The option matrix: every value of every question, and every pair of values, bakes a
complete, parseable, schema-valid, lint-clean service; refused combinations fail the bake."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from _pytest.mark import ParameterSet
from cookiecutter.environment import StrictEnvironment
from cookiecutter.exceptions import FailedHookException

from tests.support.commands import run, run_ok, template_tool
from tests.support.cookies import Cookies, assert_refused_by_the_hook, baked_path
from tests.support.cruft import cruft_env
from tests.support.delivery import K8S
from tests.support.hooks import pre_gen_hook
from tests.support.options import MATRIX, context_id, matrix_contexts, uncovered_pairs
from tests.support.parsing import unparseable_files
from tests.support.rendering import leftover_lines, unrendered_names
from tests.support.schemas import files_by_schema
from tests.support.template import (
    DEFAULT_SLUG,
    SKELETON_DIR,
    TEMPLATE_DIR,
    booleans,
    choices,
    following_booleans,
    read_yes_no,
)
from tests.support.tree import empty_folders, files


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
    result = cookies.bake(extra_context={"database": "sqlite", "include_kubernetes": True})

    assert isinstance(result.exception, FailedHookException)
    assert "answer include_kubernetes=false, or database=postgresql" in capfd.readouterr().err


def single_answer_changes() -> list[ParameterSet]:
    """Every value of every choice and yes/no question, each the only answer given."""
    values: dict[str, list[object]] = {key: list(options) for key, options in choices().items()}
    values.update({key: [True, False] for key in booleans()})
    return [
        pytest.param(key, value, id=f"{key}={value}")
        for key, options in values.items()
        for value in options
    ]


@pytest.mark.parametrize(("key", "value"), single_answer_changes())
def test_every_single_answer_change_bakes(cookies: Cookies, key: str, value: object) -> None:
    # `--no-input` with one answer changed must never run into a refusal: a default that
    # cannot go with the given answer follows it instead (include_kubernetes follows the
    # database).
    result = cookies.bake(extra_context={key: value})

    project = baked_path(result)
    assert result.context is not None
    kubernetes = read_yes_no(result.context)["include_kubernetes"]
    assert (project / K8S).exists() is kubernetes


@pytest.mark.parametrize(
    ("arguments", "manifests"),
    [
        pytest.param(["database=sqlite"], False, id="sqlite"),
        pytest.param(["database=postgresql"], True, id="postgresql"),
        pytest.param(["include_kubernetes=false"], False, id="no-kubernetes"),
        pytest.param(["include_kubernetes=no"], False, id="no-kubernetes-as-no"),
        pytest.param(["database=sqlite", "include_kubernetes=False"], False, id="sqlite-False"),
        pytest.param(["include_kubernetes=yes"], True, id="kubernetes-as-yes"),
    ],
)
def test_command_line_answers_bake_with_the_manifests_they_mean(
    tmp_path: Path, arguments: list[str], manifests: bool
) -> None:
    # The command line hands the templated yes/no question text ("false", "no"), which a bare
    # Jinja `if` would read as true; the manifests must follow what the text means.
    cookiecutter = template_tool("cookiecutter")
    run_ok(
        [cookiecutter, "--no-input", "-o", tmp_path, TEMPLATE_DIR, *arguments],
        tmp_path,
        cruft_env(tmp_path / "home"),
    )

    project = tmp_path / DEFAULT_SLUG
    assert (project / K8S).exists() is manifests
    # Text follows the answer too, not only file names.
    claude = (project / "CLAUDE.md").read_text(encoding="utf-8")
    assert (f"`{K8S.as_posix()}/`" in claude) is manifests


@pytest.mark.parametrize("answer", ["true", "yes", "1"])
def test_command_line_sqlite_with_kubernetes_is_refused(tmp_path: Path, answer: str) -> None:
    cookiecutter = template_tool("cookiecutter")
    result = run(
        [
            *(cookiecutter, "--no-input", "-o", tmp_path / "out", TEMPLATE_DIR),
            *("database=sqlite", f"include_kubernetes={answer}"),
        ],
        tmp_path,
        cruft_env(tmp_path / "home"),
    )

    assert result.returncode != 0
    assert "error: database=sqlite and include_kubernetes=true cannot be combined" in result.stdout
    assert not (tmp_path / "out").exists() or list(files(tmp_path / "out")) == []


def test_exactly_one_lock_file_renders_for_each_database_and_jobs_answer() -> None:
    # Two lock names rendering to uv.lock for the same answers would overwrite each other
    # silently, and none would leave the bake without a lock.
    locks = [path.name for path in SKELETON_DIR.iterdir() if "uv.lock" in path.name]
    rendered: dict[tuple[str, bool, str], list[str]] = {}
    for database in choices()["database"]:
        for jobs in (True, False):
            for auth in choices()["auth_provider"]:
                answers = {
                    "database": database,
                    "include_background_jobs": jobs,
                    "auth_provider": auth,
                }
                environment = StrictEnvironment(context={"cookiecutter": answers})
                names = [
                    environment.from_string(name).render(cookiecutter=answers) for name in locks
                ]
                rendered[database, jobs, auth] = sorted(name for name in names if name)

    assert len(locks) == len(rendered)
    assert rendered == {pair: ["uv.lock"] for pair in rendered}


@pytest.mark.parametrize(
    ("database", "jobs", "auth"),
    [
        pytest.param(
            database,
            jobs,
            auth,
            id=f"database={database}+include_background_jobs={jobs}+auth_provider={auth}",
        )
        for database in choices()["database"]
        for jobs in (True, False)
        for auth in choices()["auth_provider"]
    ],
)
def test_lock_matches_pyproject_for_each_database_and_jobs_answer(
    cookies: Cookies, baked_env: dict[str, str], database: str, jobs: bool, auth: str
) -> None:
    # The dependencies differ per database (asyncpg), per include_background_jobs (taskiq
    # and its brokers) and per auth_provider (argon2 or httpx), and so does the lock each bake
    # ships: exactly one of the eight conditional lock files renders to uv.lock (the
    # Kubernetes default follows the database).
    context = {"database": database, "include_background_jobs": jobs, "auth_provider": auth}
    project = baked_path(cookies.bake(extra_context=context))

    assert [path.name for path in project.glob("*.lock")] == ["uv.lock"]
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


@pytest.mark.parametrize("key", following_booleans())
def test_following_yes_no_answers_are_read_as_cookiecutter_reads_them(key: str) -> None:
    # The answer may be text ("false", "no"), which a bare `{% if %}` reads as true: every
    # use in the skeleton, file names included, reads it with cookiecutter's yes words.
    words = ", ".join(f'"{word}"' for word in pre_gen_hook().YES_WORDS)
    reading = f"cookiecutter.{key}|string|lower in [{words}]"
    uses: list[str] = []
    for path in sorted(SKELETON_DIR.rglob("*")):
        uses.append(path.name)
        if path.is_file() and path.name != "common-passwords.txt":
            uses.append(path.read_text(encoding="utf-8", errors="replace"))
    found = [text for text in uses if f"cookiecutter.{key}" in text]

    assert found
    assert [
        text for text in found if text.count(f"cookiecutter.{key}") != text.count(reading)
    ] == []
