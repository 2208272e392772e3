"""Throwaway git repositories, isolated from the user's git configuration."""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from pathlib import Path

from tests.support.commands import run_ok


def isolated_git_env(home: Path) -> dict[str, str]:
    """An environment where git ignores the user's and system's configuration.

    Hooks, signing or templates configured on a developer's machine must not change what
    these repositories do; commits get a fixed identity.
    """
    empty_config = home / "gitconfig"
    empty_config.touch()
    return {
        **os.environ,
        "HOME": str(home),
        "GIT_CONFIG_GLOBAL": str(empty_config),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Template Tests",
        "GIT_AUTHOR_EMAIL": "template-tests@example.com",
        "GIT_COMMITTER_NAME": "Template Tests",
        "GIT_COMMITTER_EMAIL": "template-tests@example.com",
    }


def commit_all(repo: Path, message: str, env: Mapping[str, str]) -> None:
    if not (repo / ".git").exists():
        run_ok(["git", "init", "--quiet", "--initial-branch=main"], repo, env)
    run_ok(["git", "add", "--all"], repo, env)
    run_ok(["git", "commit", "--quiet", "--no-verify", "-m", message], repo, env)


# What a checkout holds that is not the template: tooling, caches and local state.
NOT_TEMPLATE = shutil.ignore_patterns(
    ".git", ".venv", ".tools", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache"
)


def copy_worktree(source: Path, target: Path, env: Mapping[str, str]) -> None:
    """Copy the template as it would be committed: tracked and new files, not ignored ones.

    A checkout without git metadata (an exported archive) is copied without the tooling
    and caches instead.
    """
    if not (source / ".git").exists():
        shutil.copytree(source, target, ignore=NOT_TEMPLATE, dirs_exist_ok=True)
        return
    listing = run_ok(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"], source, env
    )
    for name in listing.stdout.split("\0"):
        path = source / name
        if name and path.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target / name)
