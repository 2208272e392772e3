"""Where the template lives and what it asks, read from its own files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cookiecutter.generate import generate_context
from cookiecutter.prompt import prompt_for_config

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


def booleans() -> dict[str, bool]:
    """Each yes/no question with its default."""
    return {key: value for key, value in questions().items() if isinstance(value, bool)}


def default_answers() -> dict[str, Any]:
    """The answers `--no-input` gives, derived names rendered, as the hooks receive them."""
    context = generate_context(context_file=str(COOKIECUTTER_JSON))
    rendered: dict[str, Any] = dict(prompt_for_config(context, no_input=True))
    return rendered


def offered_python_versions() -> list[str]:
    return choices()["python_version"]


DEFAULT_PYTHON_VERSION = offered_python_versions()[0]
DEFAULT_SLUG = "orders-service"
DEFAULT_PACKAGE = "orders_service"
