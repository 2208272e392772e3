"""Driving cruft as a service team does: create, commit, edit, update, check.

`cruft update` exits 0 even when a hunk did not apply (it leaves `*.rej` files or conflict
markers, and still records the new commit in .cruft.json), so the tests look for leftovers
themselves instead of trusting the exit status.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tests.support.commands import run_ok, template_tool
from tests.support.git import isolated_git_env
from tests.support.tree import files, text_files

CONFLICT_MARKERS = ("<<<<<<< ", ">>>>>>> ")
LEFTOVER_SUFFIXES = frozenset({".rej", ".orig"})


def cruft_env(home: Path) -> dict[str, str]:
    """git without the user's configuration, cookiecutter without the user's defaults."""
    home.mkdir(parents=True, exist_ok=True)
    config = home / "cookiecutter.yaml"
    config.write_text(
        f"cookiecutters_dir: {home / 'cookiecutters'}\nreplay_dir: {home / 'replay'}\n",
        encoding="utf-8",
    )
    return {**isolated_git_env(home), "COOKIECUTTER_CONFIG": str(config)}


def cruft_create(template: Path, output_dir: Path, env: Mapping[str, str], *extra: str) -> Path:
    """`cruft create --no-input` into `output_dir`; the one project folder it made."""
    output_dir.mkdir(parents=True, exist_ok=True)
    run_ok(
        [
            template_tool("cruft"),
            "create",
            "--no-input",
            "--output-dir",
            output_dir,
            *extra,
            template,
        ],
        output_dir,
        env,
    )
    (project,) = [path for path in output_dir.iterdir() if path.is_dir()]
    return project


def cruft_update(project: Path, env: Mapping[str, str], *extra: str) -> str:
    """`cruft update` without questions; its output (the exit status says nothing)."""
    result = run_ok(
        [
            template_tool("cruft"),
            "update",
            "--skip-apply-ask",
            "--allow-untracked-files",
            *extra,
        ],
        project,
        env,
    )
    return result.stdout


def cruft_state(project: Path) -> dict[str, Any]:
    state: dict[str, Any] = json.loads((project / ".cruft.json").read_text(encoding="utf-8"))
    return state


def _outside_git(project: Path, path: Path) -> bool:
    return ".git" not in path.relative_to(project).parts


def rejected_hunks(project: Path) -> list[str]:
    """`*.rej` and `*.orig` files: hunks `git apply --reject` could not place."""
    return [
        path.relative_to(project).as_posix()
        for path in files(project)
        if path.suffix in LEFTOVER_SUFFIXES and _outside_git(project, path)
    ]


def conflict_markers(project: Path) -> list[str]:
    """Files holding merge conflict markers, from `git apply -3`."""
    return [
        path.relative_to(project).as_posix()
        for path, text in text_files(project)
        if _outside_git(project, path)
        and any(line.startswith(CONFLICT_MARKERS) for line in text.splitlines())
    ]


def changed_files(project: Path, env: Mapping[str, str]) -> list[str]:
    """Paths `git status` reports as changed or new since the last commit."""
    status = run_ok(
        ["git", "status", "--porcelain", "--untracked-files=all", "-z"], project, env
    ).stdout
    return sorted(entry[3:] for entry in status.split("\0") if entry)
