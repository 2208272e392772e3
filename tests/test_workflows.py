"""The baked GitHub Actions workflows: GitHub's `${{ }}` expressions survive Jinja.

Their schema is checked with the other delivery files, in test_options.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cookiecutter.environment import StrictEnvironment

from tests.support.template import SKELETON_DIR, default_answers

WORKFLOWS = Path(".github/workflows")
GITHUB_EXPRESSION = "${{"


def workflow_files(root: Path) -> list[Path]:
    folder = root / WORKFLOWS
    return sorted([*folder.glob("*.yml"), *folder.glob("*.yaml")])


def test_bake_ships_a_ci_workflow(default_project: Path) -> None:
    # The service must pass its own CI on the first push, so it must bring that CI along.
    assert workflow_files(default_project), f"no workflow in {WORKFLOWS}"


def rendered_name(name: str, answers: dict[str, Any]) -> str:
    """A template file's name as cookiecutter writes it; empty when an option switches it off."""
    environment = StrictEnvironment(context={"cookiecutter": answers})
    rendered: str = environment.from_string(name).render(cookiecutter=answers)
    return rendered


def test_github_expressions_survive_rendering(default_project: Path) -> None:
    # Compared with the default answers' sources, whose `{% if %}` blocks are the ones kept.
    answers = default_answers()
    baked = {path.name: path for path in workflow_files(default_project)}
    sources = {
        rendered_name(path.name, answers): path for path in (SKELETON_DIR / WORKFLOWS).iterdir()
    }
    sources = {name: path for name, path in sources.items() if name.endswith((".yml", ".yaml"))}

    assert sorted(baked) == sorted(sources)
    expected = {
        name: path.read_text(encoding="utf-8").count(GITHUB_EXPRESSION)
        for name, path in sources.items()
    }
    actual = {
        name: path.read_text(encoding="utf-8").count(GITHUB_EXPRESSION)
        for name, path in baked.items()
    }
    assert actual == expected
    assert sum(actual.values()) > 0, "no workflow uses a GitHub expression; is the raw block lost?"
