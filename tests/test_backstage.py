"""Backstage: the software template and the baked catalog entity, checked by Backstage's rules.

The schemas are Backstage's own (npm: @backstage/catalog-model, @backstage/plugin-scaffolder-
common, installed by `make install`), loaded offline, with their `$ref`s resolved locally. On
top of them come the format rules the catalog enforces in code (entity names, annotation keys,
tags), and the rules the template's own hook enforces, because Backstage skips hooks: the
form must refuse what hooks/pre_gen_project.py would refuse, answers that cannot be combined
included (checked with the form's own validator, ajv, as well as with jsonschema).
"""

from __future__ import annotations

import itertools
import json
import keyword
import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
import yaml
from jsonschema import Draft7Validator

from tests.support.backstage import (
    TEMPLATE_YAML,
    fetched_folder,
    form_defaults,
    form_errors,
    form_page_defaults,
    format_problems,
    invalid_regexes,
    load_template,
    page_asking,
    page_defaults,
    parameter_pages,
    parameters,
    render_input,
    schema_errors,
    step,
)
from tests.support.commands import run_ok, template_tool
from tests.support.cookies import Cookies, baked_path
from tests.support.hooks import pre_gen_hook
from tests.support.template import (
    COOKIECUTTER_JSON,
    SKELETON_DIR,
    booleans,
    choices,
    default_answers,
    questions,
    read_yes_no,
)

# Files the include_backstage answer owns, relative to the baked project.
BACKSTAGE_FILES = frozenset({"catalog-info.yaml", "mkdocs.yml", "docs/index.md"})
# Answers the form does not ask: derived in the fetch step's values.
DERIVED = frozenset({"package_name"})
# Form fields that are not cookiecutter questions, and the private context key each feeds.
BACKSTAGE_ONLY = {"github_org": "_github_org"}
# cookiecutter.json keys fetch:cookiecutter takes as inputs of its own, not as values.
FETCH_INPUTS = {"_copy_without_render": "copyWithoutRender", "_extensions": "extensions"}


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    return load_template()


def cookiecutter_json() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(COOKIECUTTER_JSON.read_text(encoding="utf-8"))
    return data


def cookiecutter_keys() -> list[str]:
    return [key for key in cookiecutter_json() if key != "__prompts__"]


def read_entity(project: Path) -> dict[str, Any]:
    entity: dict[str, Any] = yaml.safe_load(
        (project / "catalog-info.yaml").read_text(encoding="utf-8")
    )
    return entity


def field_accepts(field: dict[str, Any], value: object) -> bool:
    """Whether the form field's JSON schema accepts the value (the `ui:*` keys are ignored)."""
    return bool(Draft7Validator(field).is_valid(value))


def hook_accepts(key: str, value: object) -> bool:
    """Whether the pre-generation hook accepts the defaults with this one answer changed."""
    answers = {**default_answers(), key: value}
    if key == "project_slug" and isinstance(value, str):
        answers["package_name"] = value.replace("-", "_")
    return not any(
        problem.startswith(f"{key}:") or problem.startswith("package_name:")
        for problem in pre_gen_hook().validate(answers)
    )


# --- backstage/template.yaml ------------------------------------------------------------------


def test_template_satisfies_backstages_template_schema(template: dict[str, Any]) -> None:
    assert template["apiVersion"] == "scaffolder.backstage.io/v1beta3"
    assert template["kind"] == "Template"
    assert schema_errors(template, "EntityEnvelope") == []
    assert schema_errors(template, "TemplateV1beta3") == []
    assert format_problems(template) == []


def test_parameter_forms_are_valid_json_schemas(template: dict[str, Any]) -> None:
    for page in parameter_pages(template):
        Draft7Validator.check_schema(page)
    patterns = sorted(
        {field["pattern"] for field in parameters(template).values() if "pattern" in field}
    )

    assert patterns
    assert invalid_regexes(patterns) == {}


def test_form_asks_every_question_of_cookiecutter_json(template: dict[str, Any]) -> None:
    asked = set(parameters(template)) - set(BACKSTAGE_ONLY)

    assert asked == set(questions()) - DERIVED


def test_fetch_values_give_every_answer(template: dict[str, Any]) -> None:
    # fetch:cookiecutter writes cookiecutter.json from `values` alone: a missing key is an
    # undefined variable in the skeleton, not a default.
    fetch = step(template, "fetch:cookiecutter")["input"]
    expected = set(cookiecutter_keys()) - set(FETCH_INPUTS)

    assert set(fetch["values"]) == expected
    for context_key, input_name in FETCH_INPUTS.items():
        # An input cookiecutter.json does not set is not passed either.
        assert fetch.get(input_name) == cookiecutter_json().get(context_key)


def test_defaults_are_cookiecutters_defaults(template: dict[str, Any]) -> None:
    # The same answers as `cookiecutter --no-input`, derived names included. A following
    # yes/no default is text there ("true") and a boolean in the form: the same answer.
    rendered = render_input(
        step(template, "fetch:cookiecutter")["input"],
        {
            **form_defaults(template),
            "github_org": default_answers()["_github_org"],
        },
    )
    cookiecutter_defaults = {
        key: value
        for key, value in read_yes_no(default_answers()).items()
        if key not in FETCH_INPUTS
    }

    assert rendered["values"] == cookiecutter_defaults


def test_choices_and_booleans_match_cookiecutter_json(template: dict[str, Any]) -> None:
    fields = parameters(template)
    for key, values in choices().items():
        assert fields[key]["type"] == "string"
        assert fields[key]["enum"] == values, key
        assert fields[key]["default"] == values[0], key
    for key, default in booleans().items():
        assert fields[key]["type"] == "boolean", key
        assert fields[key]["default"] is default, key


def test_patterns_are_the_hooks_patterns(template: dict[str, Any]) -> None:
    hook = pre_gen_hook()
    fields = parameters(template)
    expected = {
        "project_slug": hook.SLUG_PATTERN.pattern,  # type: ignore[attr-defined]
        "author_email": hook.EMAIL_PATTERN.pattern,  # type: ignore[attr-defined]
        "owner": hook.OWNER_PATTERN.pattern,  # type: ignore[attr-defined]
    }

    assert {key: fields[key]["pattern"] for key in expected} == expected
    assert fields["project_slug"]["maxLength"] == hook.MAX_NAME_LENGTH  # type: ignore[attr-defined]


SAMPLES: dict[str, list[object]] = {
    "project_name": ["Billing API", 'Night "Ops" Desk', "", "   ", "two\nlines", "x" * 101],
    "description": ["Routes jobs.", "tab\there", "x" * 200, "x" * 201],
    "author_name": ["O'Brien \\ Team", "", "bell\x07", "x" * 100, "x" * 101],
    "author_email": ["a@b.io", "team@example.com", "nope", "a@b", "a b@c.io", "a@b.c"],
    "owner": [
        "group:platform-team",
        "user:jane.doe",
        "platform-team",
        "group:default/x",
        "group:payments/billing",
        "user:default/Jane.Doe",
        "group:Payments/billing",
        "group:payments/",
        "Group:X",
        "group:",
        "-team",
        "x" * 63,
        "x" * 64,
    ],
    "project_slug": [
        "billing-api",
        "a",
        "x" * 63,
        "x" * 64,
        "Billing",
        "billing_api",
        "1api",
        "a--b",
        "a-",
        "logging",
        "json",
        "class",
        "match",
        "fastapi",
        "tests",
        "pydantic-settings",
        "py-compile",
        "types",
        "this",
    ],
}


@pytest.mark.parametrize(
    ("key", "value"),
    [
        pytest.param(key, value, id=f"{key}={value!r:.30}")
        for key, values in SAMPLES.items()
        for value in values
    ],
)
def test_form_refuses_what_the_hook_refuses(
    template: dict[str, Any], key: str, value: object
) -> None:
    # Backstage never runs the hook, so the form is the only check on this path.
    assert field_accepts(parameters(template)[key], value) == hook_accepts(key, value)


def answer_values(key: str) -> list[object]:
    """Every answer cookiecutter.json offers for a choice or yes/no question."""
    return list(choices()[key]) if key in choices() else [True, False]


def combination_id(combination: Mapping[str, object]) -> str:
    return "+".join(f"{key}={value}" for key, value in combination.items())


UNSUPPORTED_COMBINATIONS = [
    pytest.param(combination, id=combination_id(combination))
    for combination, _reason in pre_gen_hook().UNSUPPORTED_COMBINATIONS
]


@pytest.mark.parametrize("combination", UNSUPPORTED_COMBINATIONS)
def test_form_refuses_the_combinations_the_hook_refuses(
    template: dict[str, Any], combination: Mapping[str, object]
) -> None:
    # Every way of answering the combination's questions, the rest left at their defaults:
    # the page that asks them accepts exactly what the hook accepts.
    page = page_asking(template, combination)
    keys = list(combination)
    hook = pre_gen_hook()
    cases = [
        dict(zip(keys, values, strict=True))
        for values in itertools.product(*(answer_values(key) for key in keys))
    ]
    instances = [{**page_defaults(page), **case} for case in cases]

    hook_verdicts = [hook.validate({**default_answers(), **case}) == [] for case in cases]
    form_verdicts = [errors == [] for errors in form_errors(page, instances)]
    jsonschema_verdicts = [Draft7Validator(page).is_valid(instance) for instance in instances]

    assert dict(zip(map(combination_id, cases), form_verdicts, strict=True)) == dict(
        zip(map(combination_id, cases), hook_verdicts, strict=True)
    )
    assert jsonschema_verdicts == hook_verdicts
    assert hook_verdicts.count(False) == 1


@pytest.mark.parametrize("database", choices()["database"])
def test_form_kubernetes_default_follows_the_database(
    template: dict[str, Any], database: str
) -> None:
    # cookiecutter.json's default is `database != 'sqlite'`; the form fills the same one
    # (rjsf merges the page's `then` default), and an explicit answer stays the user's.
    page = page_asking(template, ["database", "include_kubernetes"])
    expected = read_yes_no(
        {"include_kubernetes": default_answers(database=database)["include_kubernetes"]}
    )

    filled, explicit = form_page_defaults(
        page, [{"database": database}, {"database": database, "include_kubernetes": False}]
    )

    assert filled["include_kubernetes"] is expected["include_kubernetes"]
    assert filled["include_kubernetes"] is (database != "sqlite")
    assert explicit["include_kubernetes"] is False


@pytest.mark.parametrize("combination", UNSUPPORTED_COMBINATIONS)
def test_form_says_why_a_combination_is_refused(
    template: dict[str, Any], combination: Mapping[str, object]
) -> None:
    page = page_asking(template, combination)

    (errors,) = form_errors(page, [{**page_defaults(page), **combination}])

    assert len(errors) == 1, errors
    pairs = " and ".join(
        f"{key}={str(value).lower() if isinstance(value, bool) else value}"
        for key, value in combination.items()
    )
    assert f"{pairs} cannot be combined" in errors[0]


def test_every_reserved_package_name_is_a_refused_slug(template: dict[str, Any]) -> None:
    # The slug becomes the package name; the hook refuses keywords, standard-library modules
    # (of the Python running it) and the service's dependencies, so the form must too.
    hook = pre_gen_hook()
    reserved = (
        set(sys.stdlib_module_names)
        | set(keyword.kwlist)
        | set(keyword.softkwlist)
        | set(hook.DEPENDENCY_MODULES)
    )
    slugs = {name.replace("_", "-") for name in reserved}
    field = parameters(template)["project_slug"]
    slug_pattern = re.compile(field["pattern"])
    reachable = sorted(slug for slug in slugs if slug_pattern.match(slug))

    accepted = [slug for slug in reachable if field_accepts(field, slug)]

    assert accepted == []


def test_steps_fetch_publish_then_register(template: dict[str, Any]) -> None:
    steps = template["spec"]["steps"]
    assert [s["action"] for s in steps] == [
        "fetch:cookiecutter",
        "publish:github",
        "catalog:register",
    ]
    assert fetched_folder(steps[0]["input"]) == SKELETON_DIR.resolve()
    register = steps[2]
    assert register["input"]["catalogInfoPath"] == "/catalog-info.yaml"
    # Without the catalog file there is nothing to register.
    assert register["if"] == "${{ parameters.include_backstage }}"


def test_repository_is_named_after_the_slug(template: dict[str, Any]) -> None:
    answers = {**form_defaults(template), "github_org": "acme", "project_slug": "billing-api"}
    publish = render_input(step(template, "publish:github")["input"], answers)
    host, _, query = publish["repoUrl"].partition("?")

    assert host == "github.com"
    assert parse_qs(query) == {"owner": ["acme"], "repo": ["billing-api"]}


def test_template_file_is_outside_the_skeleton() -> None:
    # Its `${{ }}` must reach Backstage untouched: no Jinja ever renders this file.
    assert SKELETON_DIR not in TEMPLATE_YAML.parents


# --- the baked catalog-info.yaml and TechDocs ----------------------------------------------


def check_component(entity: dict[str, Any]) -> None:
    assert schema_errors(entity, "EntityEnvelope") == []
    assert schema_errors(entity, "Entity") == []
    assert schema_errors(entity, "ComponentV1alpha1") == []
    assert format_problems(entity) == []


def test_default_bake_registers_a_valid_component(default_project: Path) -> None:
    entity = read_entity(default_project)
    answers = default_answers()

    check_component(entity)
    assert entity["apiVersion"] == "backstage.io/v1alpha1"
    assert entity["kind"] == "Component"
    assert entity["metadata"]["name"] == answers["project_slug"]
    assert entity["metadata"]["description"] == answers["description"]
    assert entity["metadata"]["annotations"] == {
        "github.com/project-slug": f"{answers['_github_org']}/{answers['project_slug']}",
        "backstage.io/techdocs-ref": "dir:.",
    }
    assert entity["spec"]["type"] == "service"
    assert entity["spec"]["owner"] == answers["owner"]


def test_unusual_answers_still_make_a_valid_component(cookies: Cookies) -> None:
    slug = "a" + "-b" * 31  # 63 characters: the longest slug and entity name
    project = baked_path(
        cookies.bake(
            extra_context={
                "project_name": 'Night "Ops" Desk: \\ alerts',
                "project_slug": slug,
                "description": 'It\'s "quoted" & <odd>: yes',
                "owner": "user:jane.doe",
                "_github_org": "acme-corp",
            }
        )
    )
    entity = read_entity(project)

    check_component(entity)
    assert entity["metadata"]["name"] == slug
    assert entity["metadata"]["title"] == 'Night "Ops" Desk: \\ alerts'
    assert entity["metadata"]["description"] == 'It\'s "quoted" & <odd>: yes'
    assert entity["metadata"]["annotations"]["github.com/project-slug"] == f"acme-corp/{slug}"
    assert entity["spec"]["owner"] == "user:jane.doe"


def test_include_backstage_owns_exactly_its_files(cookies: Cookies) -> None:
    # The files vanish through their names alone (no hook), because Backstage runs none.
    def listing(include: bool) -> set[str]:
        project = baked_path(cookies.bake(extra_context={"include_backstage": include}))
        return {p.relative_to(project).as_posix() for p in project.rglob("*") if p.is_file()}

    with_files, without_files = listing(True), listing(False)

    assert with_files - without_files == BACKSTAGE_FILES
    assert without_files <= with_files


def test_techdocs_site_builds_strictly_with_every_adr(
    default_project: Path, tmp_path: Path
) -> None:
    # What TechDocs runs: mkdocs with the techdocs-core plugin, here with warnings as errors.
    site = tmp_path / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    run_ok(
        [template_tool("mkdocs"), "build", "--strict", "--site-dir", site],
        default_project,
        env,
    )
    adrs = sorted(path.stem for path in (default_project / "docs" / "adr").glob("*.md"))
    home = (site / "index.html").read_text(encoding="utf-8")

    assert adrs
    assert [adr for adr in adrs if not (site / "adr" / adr / "index.html").is_file()] == []
    # MkDocs lists every page in the navigation, so each record is one click from home.
    assert [adr for adr in adrs if f"adr/{adr}/" not in home] == []
