"""A service created through Backstage is the service `cookiecutter --no-input` bakes.

Backstage's fetch:cookiecutter runs neither hook and never reads cookiecutter.json: it renders
the skeleton from the `values` backstage/template.yaml computes. This test does exactly that
(the step input rendered by Backstage's own templating engine, a template folder with no
hooks/ and a cookiecutter.json written from those values) and compares the result, file by
file and byte by byte, with a normal bake of the same answers. A derived name computed
differently, a question the template forgets to pass, or an option that needs a hook to
remove its files all show up as a difference.

Only files are compared: git does not record empty folders, and the post-generation hook's
removal of folders left empty is cosmetic.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.backstage import (
    copy_template,
    fetch_cookiecutter,
    form_defaults,
    load_template,
    render_input,
    step,
)
from tests.support.commands import run_ok, template_tool
from tests.support.cruft import cruft_env
from tests.support.template import default_answers, questions
from tests.support.tree import snapshot

# Answers that differ from every default, as a user would type them in either front end.
OTHER_ANSWERS: dict[str, Any] = {
    "project_name": 'Billing & "Payments" API',
    "project_slug": "billing-payments-api",
    "description": "Charges cards; it's idempotent \\ retried.",
    "author_name": "Payments Team",
    "author_email": "payments@example.org",
    "python_version": "3.12",
    "database": "sqlite",
    # The only answer the hook and the form accept with SQLite.
    "include_kubernetes": False,
    "jwt_algorithm": "HS256",
    "auth_provider": "oidc",
    "include_example_resource": False,
    "include_background_jobs": False,
    "include_graphql": True,
    "ci_provider": "gitlab",
    "license": "Apache-2.0",
    "include_backstage": False,
    "owner": "user:jane.doe",
}
OTHER_ORG = "acme"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """cookiecutter with a private config: no user defaults, replay files in tmp_path."""
    return cruft_env(tmp_path / "home")


def cli_value(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


@pytest.fixture
def template(tmp_path: Path) -> Path:
    """One snapshot of the template, read by both bakes."""
    return copy_template(tmp_path / "template")


def cookiecutter_bake(
    template: Path, answers: dict[str, Any], out: Path, env: dict[str, str]
) -> Path:
    """`cookiecutter --no-input <template> key=value...`: hooks, derived names and all."""
    out.mkdir()
    arguments = [f"{key}={cli_value(value)}" for key, value in answers.items()]
    run_ok(
        [template_tool("cookiecutter"), "--no-input", "-o", out, template, *arguments],
        out,
        env,
    )
    (project,) = out.iterdir()
    return project


def backstage_bake(template: Path, form: dict[str, Any], work: Path, env: dict[str, str]) -> Path:
    """What the scaffolder's fetch step writes for these form answers."""
    work.mkdir()
    fetch_step = step(load_template(template), "fetch:cookiecutter")
    fetch_input = render_input(fetch_step["input"], form)
    return fetch_cookiecutter(fetch_input, work, env, template)


def differences(expected: Path, actual: Path) -> dict[str, str]:
    left, right = snapshot(expected), snapshot(actual)
    found = dict.fromkeys(left.keys() - right.keys(), "only in the cookiecutter bake")
    found |= dict.fromkeys(right.keys() - left.keys(), "only in the Backstage bake")
    found |= {name: "differs" for name in left.keys() & right.keys() if left[name] != right[name]}
    return found


def test_backstage_defaults_bake_the_default_service(
    template: Path, tmp_path: Path, env: dict[str, str]
) -> None:
    # The organisation has no default in the form (the user must choose); accept the one the
    # command-line bake uses.
    form = {
        **form_defaults(load_template(template)),
        "github_org": default_answers()["_github_org"],
    }

    expected = cookiecutter_bake(template, {}, tmp_path / "cookiecutter", env)
    actual = backstage_bake(template, form, tmp_path / "backstage", env)

    assert len(snapshot(expected)) > 50
    assert differences(expected, actual) == {}


def test_backstage_bakes_the_same_service_for_other_answers(
    template: Path, tmp_path: Path, env: dict[str, str]
) -> None:
    # Every question answered differently from its default (package_name is derived).
    defaults = default_answers()
    assert set(OTHER_ANSWERS) == set(questions()) - {"package_name"}
    assert [key for key, value in OTHER_ANSWERS.items() if value == defaults[key]] == []
    form = {**form_defaults(load_template(template)), **OTHER_ANSWERS, "github_org": OTHER_ORG}
    answers = {**OTHER_ANSWERS, "_github_org": OTHER_ORG}

    expected = cookiecutter_bake(template, answers, tmp_path / "cookiecutter", env)
    actual = backstage_bake(template, form, tmp_path / "backstage", env)

    assert expected.name == OTHER_ANSWERS["project_slug"]
    assert differences(expected, actual) == {}
