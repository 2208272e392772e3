"""Every bake commits its app's OpenAPI document (docs/openapi.json).

The skeleton's document is written by scripts/refresh_openapi.py: one branch per set of
answers that changes the API (its API_OPTIONS). Here, each such set bakes a document that
is JSON in the form the baked `make openapi` writes, names the service as answered, and has
the example's paths exactly when the example is in. Whether a bake's document is its app's,
byte for byte, is its own test (tests/openapi/test_document.py): the deep contexts run it in
`make check`, and the slow test below runs it for the answer sets no deep context bakes.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from types import ModuleType
from typing import Any, cast

import pytest
from cookiecutter.environment import StrictEnvironment

from tests.support.commands import run_ok
from tests.support.cookies import Cookies, baked_path
from tests.support.options import DEEP_CONTEXTS, defaults
from tests.support.projects import InstalledProjects
from tests.support.template import TEMPLATE_DIR, load_module

DOCUMENT = Path("docs/openapi.json")
# Answers JSON and Jinja would each escape their own way: quotes, an ampersand, a backslash,
# and letters outside ASCII.
UNUSUAL_ANSWERS = {
    "project_name": 'Billing & "Payments" Café',
    "project_slug": "billing-payments",
    "description": "Charges cards; it's idempotent \\ retried, <fast>.",
}


def refresh_script() -> ModuleType:
    return load_module(TEMPLATE_DIR / "scripts" / "refresh_openapi.py", "refresh_openapi")


def api_contexts() -> list[dict[str, Any]]:
    options: dict[str, tuple[object, ...]] = refresh_script().API_OPTIONS
    return [
        dict(zip(options, values, strict=True)) for values in itertools.product(*options.values())
    ]


def api_answers(context: dict[str, Any]) -> tuple[object, ...]:
    answers = {**defaults(), **context}
    return tuple(answers[key] for key in refresh_script().API_OPTIONS)


def label(context: dict[str, Any]) -> str:
    return "+".join(f"{key}={value}" for key, value in context.items())


@pytest.mark.parametrize("context", api_contexts(), ids=label)
def test_each_api_bakes_its_document_in_the_committed_form(
    cookies: Cookies, context: dict[str, Any]
) -> None:
    project = baked_path(cookies.bake(extra_context={**context, **UNUSUAL_ANSWERS}))
    text = (project / DOCUMENT).read_text(encoding="utf-8")
    document = json.loads(text)

    assert text == json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert document["info"]["title"] == UNUSUAL_ANSWERS["project_name"]
    assert document["info"]["description"] == UNUSUAL_ANSWERS["description"]
    example = bool(context.get("include_example_resource", True))
    jobs = bool(context.get("include_background_jobs", True))
    paths = set(document["paths"])
    assert ("/api/v1/notes" in paths) == example
    assert ("/api/v1/notes/imports" in paths) == (example and jobs)
    assert "/api/v1/users/me" in paths


def test_the_skeleton_document_names_its_generator() -> None:
    source = (TEMPLATE_DIR / "{{cookiecutter.project_slug}}" / DOCUMENT).read_text(encoding="utf-8")

    assert source.startswith("{#- Written by scripts/refresh_openapi.py")
    # One branch per API the answers can give (answer sets serving the same API share one).
    assert 1 <= source.count('"openapi": "3.') <= len(api_contexts())


def uncovered_api_contexts() -> list[dict[str, Any]]:
    """The API answer sets that no deep context bakes (those run this check in make check)."""
    covered = {api_answers(cast(dict[str, Any], param.values[0])) for param in DEEP_CONTEXTS}
    return [context for context in api_contexts() if api_answers(context) not in covered]


@pytest.mark.slow
@pytest.mark.parametrize("context", uncovered_api_contexts(), ids=label)
def test_the_bakes_document_is_its_apps(
    installed_projects: InstalledProjects, baked_env: dict[str, str], context: dict[str, Any]
) -> None:
    project = installed_projects.installed(**context)

    result = run_ok(
        [
            "uv",
            "run",
            "--frozen",
            "pytest",
            "--no-cov",
            "-p",
            "no:randomly",
            "-p",
            "no:cacheprovider",
            "tests/openapi/test_document.py",
        ],
        project,
        baked_env,
    )

    assert "3 passed" in result.stdout


# --- scripts/refresh_openapi.py's branches --------------------------------------------------


def rendered(source: str, answers: dict[str, Any]) -> str:
    environment = StrictEnvironment(context={"cookiecutter": answers}, keep_trailing_newline=True)
    text: str = environment.from_string(source).render(cookiecutter=answers)
    return text


def combination(example: bool, jobs: bool) -> tuple[tuple[str, object], ...]:
    return (("include_example_resource", example), ("include_background_jobs", jobs))


def two_option_script() -> ModuleType:
    """The script as if the API followed the example and the jobs alone."""
    script = refresh_script()
    script.API_OPTIONS = {  # type: ignore[attr-defined]
        "include_example_resource": (True, False),
        "include_background_jobs": (True, False),
    }
    return script


def test_each_answer_set_renders_its_own_branch() -> None:
    script = two_option_script()
    documents = {
        combination(True, True): '{\n  "a": 1\n}\n',
        combination(True, False): '{\n  "a": 2\n}\n',
        # The same API without the example, whatever the jobs: one branch for both.
        combination(False, True): '{\n  "a": 3\n}\n',
        combination(False, False): '{\n  "a": 3\n}\n',
    }

    source = script.skeleton_text(documents)

    assert source.count("{% if") + source.count("{% elif") == 3
    assert "{% elif not cookiecutter.include_example_resource -%}" in source
    for answers, document in documents.items():
        assert rendered(source, dict(answers)) == document


def test_a_group_that_is_no_product_of_answers_is_named_one_by_one() -> None:
    script = two_option_script()
    every = [combination(example, jobs) for example in (True, False) for jobs in (True, False)]

    condition = script.condition([combination(True, True), combination(False, False)], every)

    assert condition == (
        "(cookiecutter.include_example_resource and cookiecutter.include_background_jobs) or "
        "(not cookiecutter.include_example_resource and not cookiecutter.include_background_jobs)"
    )
    assert script.condition(every, every) == "true"


def test_the_answers_the_document_shows_are_templated() -> None:
    script = refresh_script()
    answers = {"project_name": "Orders Service", "description": "A service."}
    document = {"info": {"title": "Orders Service", "description": "A service.", "version": "1"}}

    source = script.templated(script.render(document), answers)
    unusual = {"project_name": UNUSUAL_ANSWERS["project_name"], "description": 'Say "hi" \\ é'}

    assert f'"title": {script.JSON_STRING.format(answer="project_name")}' in source
    assert json.loads(rendered(source, unusual))["info"] == {
        "title": unusual["project_name"],
        "description": unusual["description"],
        "version": "1",
    }
