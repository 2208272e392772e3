"""The skeleton's one templated uv.lock renders, for every combination of the answers the
dependencies follow, the lock of exactly that bake's pyproject.toml (scripts/relock.py)."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import pytest
from cookiecutter.environment import StrictEnvironment

from tests.support.commands import run_ok, template_tool
from tests.support.cookies import Cookies, baked_path
from tests.support.template import SKELETON_DIR, TEMPLATE_DIR, load_module


def relock_script() -> ModuleType:
    return load_module(TEMPLATE_DIR / "scripts" / "relock.py", "relock")


RELOCK = relock_script()
ANSWERS = RELOCK.lock_answers()


def label(combination: tuple[tuple[str, object], ...]) -> str:
    return "+".join(f"{key}={value}" for key, value in combination)


def render(source: str, answers: dict[str, Any]) -> str:
    environment = StrictEnvironment(context={"cookiecutter": answers}, keep_trailing_newline=True)
    text: str = environment.from_string(source).render(cookiecutter=answers)
    return text


def test_the_skeleton_holds_one_lock() -> None:
    assert [path.name for path in SKELETON_DIR.iterdir() if "lock" in path.name] == ["uv.lock"]


@pytest.mark.parametrize("combination", RELOCK.combinations(ANSWERS), ids=label)
def test_the_lock_matches_pyproject_for_each_combination(
    cookies: Cookies, baked_env: dict[str, str], combination: tuple[tuple[str, object], ...]
) -> None:
    context: dict[str, Any] = dict(combination)
    if context.get("database") == "sqlite":
        context["include_kubernetes"] = False
    project = baked_path(cookies.bake(extra_context=context))

    assert [path.name for path in project.glob("*.lock")] == ["uv.lock"]
    lock = (project / "uv.lock").read_text(encoding="utf-8")
    assert "{%" not in lock
    assert "{{" not in lock
    run_ok([template_tool("uv"), "lock", "--check"], project, baked_env)


def test_merging_keeps_each_lock_byte_for_byte() -> None:
    answers = {"database": ("postgresql", "sqlite"), "include_background_jobs": (True, False)}
    header = 'version = 1\nrequires-python = ">=3.11"'
    common = '[[package]]\nname = "alembic"\nversion = "1.16"\nsource = { registry = "x" }'
    driver = '[[package]]\nname = "asyncpg"\nversion = "0.30"\nsource = { registry = "x" }'
    broker = '[[package]]\nname = "taskiq"\nversion = "0.11"\nsource = { registry = "x" }'
    extra = '[package.optional-dependencies]\nredis = [\n    { name = "redis" },\n]'
    root = '[[package]]\nname = "{{ cookiecutter.project_slug }}"\nversion = "0.1.0"\n'
    root_pg = root + 'source = { editable = "." }\ndependencies = ["asyncpg"]'
    root_lite = root + 'source = { editable = "." }\ndependencies = []'
    locks: dict[tuple[tuple[str, object], ...], str] = {}
    for combination in RELOCK.combinations(answers):
        database, jobs = (value for _, value in combination)
        parts = [header, common]
        if database == "postgresql":
            parts.append(driver)
        parts.append(root_pg if database == "postgresql" else root_lite)
        if jobs:
            parts.append(broker + "\n\n" + extra)
        locks[combination] = "\n\n".join(parts) + "\n"

    merged = RELOCK.merge(locks, answers)

    assert merged.count("alembic") == 1
    assert '{% if cookiecutter.database == "postgresql" %}' in merged
    assert "{% if cookiecutter.include_background_jobs %}" in merged
    for combination, lock in locks.items():
        answered = {**dict(combination), "project_slug": "{{ cookiecutter.project_slug }}"}
        # The project name stays templated: render it back to itself.
        rendered = render(merged.replace("{{ cookiecutter.project_slug }}", "@slug@"), answered)
        assert rendered.replace("@slug@", "{{ cookiecutter.project_slug }}") == lock


def test_a_group_that_is_no_product_is_written_combination_by_combination() -> None:
    answers = {"database": ("postgresql", "sqlite"), "include_background_jobs": (True, False)}
    group = [
        (("database", "postgresql"), ("include_background_jobs", True)),
        (("database", "sqlite"), ("include_background_jobs", False)),
    ]

    assert RELOCK.condition(group, answers) == (
        '(cookiecutter.database == "postgresql" and cookiecutter.include_background_jobs) or '
        '(cookiecutter.database == "sqlite" and not cookiecutter.include_background_jobs)'
    )
    assert RELOCK.condition(RELOCK.combinations(answers), answers) is None
