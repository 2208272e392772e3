"""Parsing every structured file of a baked tree, the way its tools will."""

from __future__ import annotations

import json
import tomllib
import warnings
from pathlib import Path

import yaml

from tests.support.tree import files


def file_format(path: Path) -> str | None:
    if path.suffix == ".py":
        return "python"
    if path.suffix == ".toml" or path.name == "uv.lock":
        return "toml"
    if path.suffix in {".yml", ".yaml"}:
        return "yaml"
    if path.suffix == ".json":
        return "json"
    return None


def parse(path: Path, fmt: str) -> None:
    """Parse the file, raising on anything its tool would reject."""
    text = path.read_text(encoding="utf-8")
    with warnings.catch_warnings():
        # A backslash from an answer that became an invalid escape sequence is a bug too.
        warnings.simplefilter("error", SyntaxWarning)
        warnings.simplefilter("error", DeprecationWarning)
        if fmt == "python":
            compile(text, str(path), "exec")
        elif fmt == "toml":
            tomllib.loads(text)
        elif fmt == "yaml":
            list(yaml.safe_load_all(text))
        elif fmt == "json":
            json.loads(text)


def unparseable_files(root: Path) -> list[str]:
    """Each structured file that does not parse, with the parser's complaint."""
    problems: list[str] = []
    for path in files(root):
        fmt = file_format(path)
        if fmt is None:
            continue
        try:
            parse(path, fmt)
        except (SyntaxError, Warning, ValueError, yaml.YAMLError) as exc:
            problems.append(f"{path.relative_to(root)}: {exc}")
    return problems


def formats_present(root: Path) -> set[str]:
    return {fmt for path in files(root) if (fmt := file_format(path)) is not None}
