"""The template's hooks, imported by path as plain modules.

They stay valid Python before Jinja renders them (the answers arrive as one JSON string), so
their functions can be tested without a bake. The Protocols give them types for mypy.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import ModuleType
from typing import Protocol, cast

from tests.support.template import HOOKS_DIR, load_module


class PreGenHook(Protocol):
    SUPPORTED_PYTHON_VERSIONS: tuple[str, ...]
    CHOICES: Mapping[str, tuple[str, ...]]
    BOOLEANS: tuple[str, ...]
    FOLLOWING_BOOLEANS: tuple[str, ...]
    YES_WORDS: tuple[str, ...]
    NO_WORDS: tuple[str, ...]
    UNSUPPORTED_COMBINATIONS: tuple[tuple[Mapping[str, object], str], ...]
    DEPENDENCY_MODULES: frozenset[str]

    def validate(self, answers: Mapping[str, object]) -> list[str]: ...

    def yes_or_no(self, value: object) -> bool | None: ...

    def combination_problems(self, answers: Mapping[str, object]) -> list[str]: ...

    def main(self, answers: Mapping[str, object]) -> int: ...


class PostGenHook(Protocol):
    def remove_empty_folders(self, root: Path) -> list[Path]: ...

    def next_steps(self, answers: Mapping[str, object]) -> str: ...


def _load(name: str) -> ModuleType:
    return load_module(HOOKS_DIR / f"{name}.py", f"template_hooks.{name}")


def pre_gen_hook() -> PreGenHook:
    return cast("PreGenHook", _load("pre_gen_project"))


def post_gen_hook() -> PostGenHook:
    return cast("PostGenHook", _load("post_gen_project"))
