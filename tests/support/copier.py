"""The template as Copier serves it: copier.yml read, its Jinja rendered, bakes compared.

copier.yml is Copier's twin of cookiecutter.json. These helpers read it, render its defaults
and validators with the Jinja environment Copier uses (its Ansible filters), derive from the
skeleton what its `_exclude` list must hold, and bake with either tool for comparison.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from cookiecutter.main import cookiecutter
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from tests.support.template import SKELETON_DIR, TEMPLATE_DIR

COPIER_YML = TEMPLATE_DIR / "copier.yml"
ANSWERS_FILE = ".copier-answers.yml"
CRUFT_FILE = ".cruft.json"
# The static entries of _exclude; the others are the conditional folders.
STATIC_EXCLUDES = ("__pycache__", "*.py[co]")
CONDITIONAL_NAME = re.compile(r"^\{%-?\s*if\s+(.+?)\s*-?%\}.*\{%-?\s*endif\s*-?%\}$")


def copier_config() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(COPIER_YML.read_text(encoding="utf-8"))
    return data


def copier_questions() -> dict[str, dict[str, Any]]:
    """copier.yml's questions (no `_settings`), in order."""
    return {key: value for key, value in copier_config().items() if not key.startswith("_")}


def jinja() -> SandboxedEnvironment:
    """The environment Copier renders copier.yml with: sandboxed, its Ansible filters on."""
    return SandboxedEnvironment(
        extensions=["jinja2_ansible_filters.AnsibleCoreFiltersExtension"],
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def render(source: str, context: Mapping[str, object]) -> str:
    return jinja().from_string(source).render(**context)


def validator_message(question: str, answers: Mapping[str, object]) -> str:
    """What copier.yml's validator of `question` says about `answers` ("" when it accepts)."""
    return render(copier_questions()[question].get("validator", ""), answers).strip()


def _folder_conditions(folder: Path) -> list[str] | None:
    """The conditions of the files under `folder`, or None when one file is unconditional."""
    conditions: set[str] = set()
    for path in folder.rglob("*"):
        if path.is_file():
            match = CONDITIONAL_NAME.match(path.name)
            if match is None:
                return None
            conditions.add(match.group(1))
    return sorted(conditions) or None


def expected_folder_excludes() -> list[str]:
    """The `_exclude` entries for the skeleton's folders whose every file is conditional.

    Each entry renders to the folder's path when none of its files' conditions holds, and
    to nothing otherwise. A folder whose parent has the same conditions needs no entry.
    """
    entries = []
    for folder in sorted(path for path in SKELETON_DIR.rglob("*") if path.is_dir()):
        conditions = _folder_conditions(folder)
        if conditions is None:
            continue
        if folder.parent != SKELETON_DIR and _folder_conditions(folder.parent) == conditions:
            continue
        held = " or ".join(f"({condition})" for condition in conditions)
        relative = folder.relative_to(SKELETON_DIR).as_posix()
        entries.append(f"{{% if not ({held}) %}}{relative}{{% endif %}}")
    return entries


def cookiecutter_bake(template: Path, output_dir: Path, context: Mapping[str, object]) -> Path:
    """`cookiecutter --no-input` with `context`, ignoring the user's configuration."""
    project = cookiecutter(
        str(template),
        no_input=True,
        extra_context=dict(context),
        output_dir=str(output_dir),
        default_config=True,
    )
    return Path(project)
