"""Regenerate the baked project's docs/openapi.json after a change to its API.

A bake commits its app's OpenAPI document, and a baked test fails when the two differ. The
API depends on a few answers (API_OPTIONS), so this bakes every combination of their values
that the pre-gen hook accepts, runs each bake's own `make openapi`, and writes the skeleton's
docs/openapi.json as one Jinja `if`/`elif` chain with a whole document in each branch
(conditionals inside the JSON would have to get every comma right). Combinations that serve
the same API share a branch. The answers the document shows (the service's name and
description, in `info`) are templated.

An option that changes the API is one line in API_OPTIONS. Run with the template's tooling:
`.venv/bin/python scripts/refresh_openapi.py` (needs the Python the bakes default to, and uv).
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from cookiecutter.main import cookiecutter

TEMPLATE_DIR = Path(__file__).resolve().parents[1]
SKELETON_DOCUMENT = TEMPLATE_DIR / "{{cookiecutter.project_slug}}" / "docs" / "openapi.json"

# Each answer that changes the API, with the values to bake. Values are JSON booleans or
# choice strings; a yes/no answer whose default follows another answer (include_kubernetes)
# would need the template's yes-word reading and is not supported here.
API_OPTIONS: dict[str, tuple[object, ...]] = {
    "include_example_resource": (True, False),
    "include_background_jobs": (True, False),
    "auth_provider": ("local", "oidc"),
}
# Answers the document shows, by where they sit in it; each is templated in the skeleton.
TEMPLATED_INFO = {"title": "project_name", "description": "description"}
# An answer as a JSON string, with filters Cookiecutter and Copier both have (Copier has no
# `jsonify`): the hook refuses control characters in these answers, and the document keeps
# other characters as they are (ensure_ascii=False), so escaping the backslash and the quote
# writes the bytes json.dumps writes.
JSON_STRING = (
    "\"{{{{ cookiecutter.{answer} | replace('\\\\', '\\\\\\\\') | replace('\"', '\\\\\"') }}}}\""
)
# Jinja would read these as its own syntax; a document holding one needs a raw block.
JINJA_MARKERS = ("{{", "{%", "{#")

Combination = tuple[tuple[str, object], ...]


def render(document: object) -> str:
    """The baked serialisation (the baked package's openapi/document.py), checked against it."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def accepted_combinations() -> list[Combination]:
    problems = pre_gen_hook_problems()
    keys = list(API_OPTIONS)
    combinations = [
        tuple(zip(keys, values, strict=True)) for values in itertools.product(*API_OPTIONS.values())
    ]
    return [combination for combination in combinations if not problems(dict(combination))]


def pre_gen_hook_problems() -> Callable[[Mapping[str, object]], list[str]]:
    """The hook's check of answer combinations, so a refused one is never baked."""
    path = TEMPLATE_DIR / "hooks" / "pre_gen_project.py"
    spec = importlib.util.spec_from_file_location("pre_gen_project", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"error: cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    problems: Callable[[Mapping[str, object]], list[str]] = module.combination_problems
    return problems


def bake_document(combination: Combination, work: Path, env: Mapping[str, str]) -> str:
    """The document `make openapi` writes in a bake of these answers, info templated."""
    answers = dict(combination)
    output = work / "-".join(f"{key}={value}" for key, value in combination)
    project = Path(
        cookiecutter(
            str(TEMPLATE_DIR), no_input=True, output_dir=str(output), extra_context=answers
        )
    )
    made = subprocess.run(
        ["make", "--no-print-directory", "openapi"],  # noqa: S607 - make from PATH
        cwd=project,
        env=dict(env),
        check=False,
        capture_output=True,
        text=True,
    )
    if made.returncode != 0:
        raise SystemExit(f"error: `make openapi` failed in {project}:\n{made.stdout}{made.stderr}")
    written = (project / "docs" / "openapi.json").read_text(encoding="utf-8")
    return templated(written, templated_answers())


def templated_answers() -> dict[str, Any]:
    """The answers the document shows, as every bake here is answered: the defaults."""
    defaults: dict[str, Any] = json.loads(
        (TEMPLATE_DIR / "cookiecutter.json").read_text(encoding="utf-8")
    )
    return {answer: defaults[answer] for answer in TEMPLATED_INFO.values()}


def templated(written: str, answers: Mapping[str, Any]) -> str:
    document = json.loads(written)
    if render(document) != written:
        raise SystemExit(
            "error: the bake writes its document differently from render() here; make "
            "render() match openapi/document.py in the skeleton"
        )
    info = document["info"]
    placeholders: dict[str, str] = {}
    for field, answer in TEMPLATED_INFO.items():
        if info.get(field) != answers[answer]:
            raise SystemExit(f"error: info.{field} is not the {answer} answer; update this script")
        placeholder = f"@@{answer}@@"
        info[field] = placeholder
        placeholders[json.dumps(placeholder)] = JSON_STRING.format(answer=answer)
    text = render(document)
    for marker in JINJA_MARKERS:
        if marker in text:
            raise SystemExit(f"error: the document holds {marker!r}, which Jinja would read")
    for answer in answers.values():
        if json.dumps(answer, ensure_ascii=False)[1:-1] in text:
            raise SystemExit(f"error: the answer {answer!r} appears outside info; template it")
    for placeholder, expression in placeholders.items():
        text = text.replace(placeholder, expression)
    return text


def condition(group: Sequence[Combination], every: Sequence[Combination]) -> str:
    """The Jinja test that is true for exactly the combinations of `group`."""
    values = {key: {dict(c)[key] for c in group} for key in API_OPTIONS}
    product = [c for c in every if all(dict(c)[key] in values[key] for key in API_OPTIONS)]
    if sorted(map(repr, product)) == sorted(map(repr, group)):
        tests = [
            test(key, values[key]) for key in API_OPTIONS if values[key] != set(API_OPTIONS[key])
        ]
        return " and ".join(tests) or "true"
    return " or ".join(
        "(" + " and ".join(test(key, {value}) for key, value in combination) + ")"
        for combination in group
    )


def test(key: str, values: set[object]) -> str:
    if values == {True}:
        return f"cookiecutter.{key}"
    if values == {False}:
        return f"not cookiecutter.{key}"
    if len(values) == 1:
        return f"cookiecutter.{key} == {json.dumps(next(iter(values)))}"
    return f"cookiecutter.{key} in {json.dumps(sorted(map(str, values)))}"


def skeleton_text(documents: Mapping[Combination, str]) -> str:
    every = list(documents)
    groups: dict[str, list[Combination]] = {}
    for combination, text in documents.items():
        groups.setdefault(text, []).append(combination)
    parts = [
        "{#- Written by scripts/refresh_openapi.py from each bake's `make openapi`: never edit "
        "it by hand. Each branch is the whole document of the answers it names. -#}\n"
    ]
    for number, (text, group) in enumerate(groups.items()):
        keyword = "if" if number == 0 else "elif"
        parts.append(f"{{% {keyword} {condition(group, every)} -%}}\n{text}")
    parts.append("{% endif -%}\n")
    return "".join(parts)


def main() -> int:
    uv = shutil.which("uv") or str(Path(sys.executable).with_name("uv"))
    env = {**os.environ, "PATH": f"{Path(uv).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    with tempfile.TemporaryDirectory() as folder:
        documents = {}
        for combination in accepted_combinations():
            documents[combination] = bake_document(combination, Path(folder), env)
            print("baked", ", ".join(f"{key}={value}" for key, value in combination))
    SKELETON_DOCUMENT.write_text(skeleton_text(documents), encoding="utf-8")
    print(f"wrote {SKELETON_DOCUMENT.relative_to(TEMPLATE_DIR)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
