"""Backstage, offline: its schemas, its templating engine and what `fetch:cookiecutter` does.

Backstage publishes its entity and Template schemas, and the engine that renders `${{ }}`,
only as npm packages. `make install` puts pinned versions into `.cache/npm` (gitignored);
`backstage.cjs` loads them with node and answers in JSON. Without node or that folder the
tests that need them skip, and fail under CI=true.
"""

from __future__ import annotations

import functools
import json
import re
import shutil
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, cast

import yaml
from jsonschema import Draft7Validator
from referencing import Registry
from referencing.jsonschema import DRAFT7

from tests.support.commands import run_ok, template_tool
from tests.support.services import missing
from tests.support.template import SKELETON_DIR, TEMPLATE_DIR

NPM_DIR = TEMPLATE_DIR / ".cache" / "npm"
HELPER = Path(__file__).with_name("backstage.cjs")
TEMPLATE_YAML = TEMPLATE_DIR / "backstage" / "template.yaml"
NODE_TIMEOUT_SECONDS = 60

# Backstage refuses entity names that do not match this (KubernetesValidatorFunctions), though
# the JSON schemas only ask for a non-empty string.
ENTITY_NAME = re.compile(r"^[a-zA-Z0-9]([-_.]?[a-zA-Z0-9])*$")
ENTITY_NAME_MAX_LENGTH = 63
# Annotation keys: an optional DNS-subdomain prefix and a name like an entity name.
ANNOTATION_PREFIX = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
ANNOTATION_PREFIX_MAX_LENGTH = 253
# Tags (catalog-model's FieldFormatEntityPolicy).
TAG = re.compile(r"^[a-z0-9:+#]+(-[a-z0-9:+#]+)*$")

# Where fetch:cookiecutter puts the fetched skeleton: a folder cookiecutter renders to
# "contents" (see @backstage/plugin-scaffolder-backend-module-cookiecutter).
FETCHED_FOLDER_NAME = "{{cookiecutter and 'contents'}}"


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        missing("node", "install Node.js 20 or newer (the Backstage tests run Backstage's code)")
    if not (NPM_DIR / "installed.txt").is_file():
        missing("Backstage's npm packages", f"run `make install` (it fills {NPM_DIR})")
    return node


def _helper(command: str, request: object | None = None) -> object:
    result = subprocess.run(
        [_node(), str(HELPER), str(NPM_DIR), command],
        input=json.dumps(request) if request is not None else "",
        capture_output=True,
        text=True,
        timeout=NODE_TIMEOUT_SECONDS,
        check=False,
    )
    assert result.returncode == 0, f"backstage.cjs {command} failed:\n{result.stderr}"
    return json.loads(result.stdout)


@functools.cache
def schemas() -> dict[str, dict[str, Any]]:
    """Every schema the two packages ship, by `$id` (Entity, common, ComponentV1alpha1, ...)."""
    found = cast("dict[str, dict[str, Any]]", _helper("schemas"))
    assert {"EntityEnvelope", "Entity", "EntityMeta", "common"} <= found.keys(), found.keys()
    return found


def validator(schema_id: str) -> Draft7Validator:
    """A validator whose `$ref`s (Entity, common#relation, ...) resolve to the local copies."""
    loaded = schemas()
    registry: Registry[Any] = Registry().with_resources(
        (identifier, DRAFT7.create_resource(schema)) for identifier, schema in loaded.items()
    )
    return Draft7Validator(loaded[schema_id], registry=registry)


def schema_errors(document: Mapping[str, Any], schema_id: str) -> list[str]:
    return [
        f"{'/'.join(str(part) for part in error.absolute_path) or '<root>'}: {error.message}"
        for error in validator(schema_id).iter_errors(document)
    ]


def format_problems(entity: Mapping[str, Any]) -> list[str]:
    """The checks the catalog makes on top of the schemas: name, annotation keys, tags."""
    problems: list[str] = []
    metadata = entity["metadata"]
    name = metadata["name"]
    if not ENTITY_NAME.match(name) or len(name) > ENTITY_NAME_MAX_LENGTH:
        problems.append(f"metadata.name {name!r} is not a valid entity name")
    for key in metadata.get("annotations", {}):
        prefix, _, local = key.rpartition("/")
        if prefix and (
            not ANNOTATION_PREFIX.match(prefix) or len(prefix) > ANNOTATION_PREFIX_MAX_LENGTH
        ):
            problems.append(f"annotation {key!r}: invalid prefix")
        if not ENTITY_NAME.match(local) or len(local) > ENTITY_NAME_MAX_LENGTH:
            problems.append(f"annotation {key!r}: invalid name")
    for tag in metadata.get("tags", []):
        if not TAG.match(tag) or len(tag) > ENTITY_NAME_MAX_LENGTH:
            problems.append(f"tag {tag!r} is not a valid tag")
    return problems


def invalid_regexes(patterns: list[str]) -> dict[str, str]:
    """Patterns JavaScript's `new RegExp(pattern, 'u')` (ajv, the form) refuses, with why."""
    answers = cast("dict[str, str | None]", _helper("regexes", {"patterns": patterns}))
    return {pattern: error for pattern, error in answers.items() if error is not None}


def form_errors(
    schema: Mapping[str, Any], instances: Sequence[Mapping[str, Any]]
) -> list[list[str]]:
    """Each instance checked by the form's own validator (ajv 8, ajv-errors); [] when valid."""
    answers = _helper("validate", {"schema": schema, "instances": instances})
    return cast("list[list[str]]", answers)


def form_page_defaults(
    schema: Mapping[str, Any], form_data: Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """What the form fills into a page around answers it already holds (from the URL, or the
    user's choice before the defaults were filled): rjsf's defaults, `if`/`then` ones included."""
    answers = _helper("defaults", {"schema": schema, "formData": form_data})
    return cast("list[dict[str, Any]]", answers)


# --- backstage/template.yaml ---------------------------------------------------------------


def load_template(template_dir: Path = TEMPLATE_DIR) -> dict[str, Any]:
    path = template_dir / TEMPLATE_YAML.relative_to(TEMPLATE_DIR)
    return cast("dict[str, Any]", yaml.safe_load(path.read_text(encoding="utf-8")))


def parameter_pages(template: Mapping[str, Any]) -> list[dict[str, Any]]:
    pages = template["spec"]["parameters"]
    return list(pages) if isinstance(pages, list) else [pages]


def parameters(template: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Every form field, by name, over all pages."""
    fields: dict[str, dict[str, Any]] = {}
    for page in parameter_pages(template):
        fields.update(page.get("properties", {}))
    return fields


def page_asking(template: Mapping[str, Any], keys: Iterable[str]) -> dict[str, Any]:
    """The one form page that asks every one of these questions (a rule across pages could
    not be checked: the form validates each page on its own)."""
    wanted = set(keys)
    pages = [
        page for page in parameter_pages(template) if wanted <= set(page.get("properties", {}))
    ]
    assert len(pages) == 1, f"expected one page asking {sorted(wanted)}, found {len(pages)}"
    return pages[0]


def page_defaults(page: Mapping[str, Any]) -> dict[str, Any]:
    """What one page holds when the user accepts its defaults."""
    return {
        name: field["default"]
        for name, field in page.get("properties", {}).items()
        if "default" in field
    }


def form_defaults(template: Mapping[str, Any]) -> dict[str, Any]:
    """What the form holds when the user accepts every default."""
    return {
        name: field["default"] for name, field in parameters(template).items() if "default" in field
    }


def step(template: Mapping[str, Any], action: str) -> dict[str, Any]:
    matches = [s for s in template["spec"]["steps"] if s["action"] == action]
    assert len(matches) == 1, f"expected one {action} step, found {len(matches)}"
    return cast("dict[str, Any]", matches[0])


def render_input(step_input: Mapping[str, Any], answers: Mapping[str, Any]) -> dict[str, Any]:
    """The step input after the scaffolder rendered it with these form answers."""
    rendered = _helper("render", {"input": step_input, "parameters": answers})
    return cast("dict[str, Any]", rendered)


def fetched_folder(fetch_input: Mapping[str, Any], template_dir: Path = TEMPLATE_DIR) -> Path:
    """The folder the fetch step's `url` names, relative to template.yaml, resolved."""
    template_yaml = template_dir / TEMPLATE_YAML.relative_to(TEMPLATE_DIR)
    return (template_yaml.parent / str(fetch_input["url"])).resolve()


def copy_template(target: Path) -> Path:
    """A snapshot of what a bake reads (questions, hooks, skeleton, Backstage template).

    Baking twice from one snapshot keeps a comparison of two bakes independent of edits made
    to the working tree meanwhile.
    """
    for name in ("cookiecutter.json", "hooks", "backstage", SKELETON_DIR.name):
        source = TEMPLATE_DIR / name
        if source.is_dir():
            shutil.copytree(source, target / name, symlinks=True)
        else:
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def fetch_cookiecutter(
    fetch_input: Mapping[str, Any],
    work: Path,
    env: Mapping[str, str],
    template_dir: Path = TEMPLATE_DIR,
) -> Path:
    """Render the skeleton of `template_dir` as `fetch:cookiecutter` does; the project folder.

    The action copies the fetched folder into `<template>/{{cookiecutter and 'contents'}}`,
    writes `<template>/cookiecutter.json` from `values` plus its `copyWithoutRender` and
    `extensions` inputs (no hooks/ folder, the repository's cookiecutter.json unread), then
    runs `cookiecutter --no-input -o <intermediate> <template>`.
    """
    source = fetched_folder(fetch_input, template_dir)
    skeleton = (template_dir / SKELETON_DIR.name).resolve()
    assert source == skeleton, f"the fetch step reads {source}, not the skeleton {skeleton}"
    template = work / "template"
    shutil.copytree(source, template / FETCHED_FOLDER_NAME, symlinks=True)
    context: dict[str, Any] = dict(fetch_input["values"])
    # JSON.stringify drops undefined inputs, so only given ones reach cookiecutter.json.
    for key, name in (("_copy_without_render", "copyWithoutRender"), ("_extensions", "extensions")):
        if fetch_input.get(name) is not None:
            context[key] = fetch_input[name]
    (template / "cookiecutter.json").write_text(json.dumps(context), encoding="utf-8")
    intermediate = work / "intermediate"
    intermediate.mkdir()
    cookiecutter = template_tool("cookiecutter")
    run_ok([cookiecutter, "--no-input", "-o", intermediate, template], work, env)
    generated = list(intermediate.iterdir())
    assert len(generated) == 1, generated
    return generated[0]
