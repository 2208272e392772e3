"""Where the template lives and what it asks, read from its own files."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

from cookiecutter.generate import generate_context
from cookiecutter.prompt import YesNoPrompt, prompt_for_config

TEMPLATE_DIR = Path(__file__).resolve().parents[2]
SKELETON_DIR = TEMPLATE_DIR / "{{cookiecutter.project_slug}}"
HOOKS_DIR = TEMPLATE_DIR / "hooks"
COOKIECUTTER_JSON = TEMPLATE_DIR / "cookiecutter.json"


def questions() -> dict[str, Any]:
    """cookiecutter.json's public questions (no `_private` or `__prompts__` keys), in order."""
    data: dict[str, Any] = json.loads(COOKIECUTTER_JSON.read_text(encoding="utf-8"))
    return {key: value for key, value in data.items() if not key.startswith("_")}


def choices() -> dict[str, list[str]]:
    """Each choice question with its values, default first."""
    return {key: value for key, value in questions().items() if isinstance(value, list)}


def following_booleans() -> list[str]:
    """Yes/no questions whose default is a Jinja expression of earlier answers, rendering
    "true" or "false" (include_kubernetes follows the database). Cookiecutter keeps such an
    answer as text, so the template reads it with cookiecutter's yes/no words."""
    rendered = default_answers()
    return [
        key
        for key, value in questions().items()
        if isinstance(value, str) and "{{" in value and rendered[key] in ("true", "false")
    ]


def booleans() -> dict[str, bool]:
    """Each yes/no question with the answer `--no-input` gives it."""
    rendered = default_answers()
    following = following_booleans()
    return {
        key: value if isinstance(value, bool) else rendered[key] == "true"
        for key, value in questions().items()
        if isinstance(value, bool) or key in following
    }


def read_yes_no(answers: Mapping[str, Any]) -> dict[str, Any]:
    """`answers` with the text of each following yes/no question read as a bool, as the
    template and the hook read it (cookiecutter's own yes/no words)."""
    following = following_booleans()
    return {
        key: YesNoPrompt().process_response(value)
        if key in following and isinstance(value, str)
        else value
        for key, value in answers.items()
    }


def default_answers(**given: object) -> dict[str, Any]:
    """The answers `--no-input` gives (around the `given` ones, as `key=value` arguments),
    derived names and following defaults rendered, as the hooks receive them."""
    context = generate_context(context_file=str(COOKIECUTTER_JSON), extra_context=given)
    rendered: dict[str, Any] = dict(prompt_for_config(context, no_input=True))
    return rendered


def offered_python_versions() -> list[str]:
    return choices()["python_version"]


DEFAULT_PYTHON_VERSION = offered_python_versions()[0]
DEFAULT_SLUG = "orders-service"
DEFAULT_PACKAGE = "orders_service"


def load_module(path: Path, name: str) -> ModuleType:
    """A template file (a hook, a script) imported by path as a plain module."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
