"""Tidy the baked tree and tell the user what to do next.

Options remove what they own through conditional file names (a file whose name renders
empty is not written), which works with every renderer, Backstage's `fetch:cookiecutter`
included, since that one skips hooks. What is left for this hook is cosmetic: folders whose
every file was switched off are removed (git ignores empty folders anyway).

It runs no network, git or install step and writes no file, because cruft re-runs hooks on
every `cruft update` and `cruft diff`: anything random or machine-specific written here would
turn into a conflict in every baked service. First-run setup (the development `.env` with a
generated secret) belongs to the baked project's `make install` and `make run`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path


def remove_empty_folders(root: Path) -> list[Path]:
    """Delete folders that hold no file at any depth; return them, deepest first."""
    removed: list[Path] = []
    for folder, subfolders, files in os.walk(root, topdown=False):
        path = Path(folder)
        if path != root and not files and not any((path / name).exists() for name in subfolders):
            path.rmdir()
            removed.append(path)
    return removed


def next_steps(answers: Mapping[str, object]) -> str:
    slug = answers["project_slug"]
    return "\n".join(
        [
            f"Generated {answers['project_name']} in ./{slug}",
            "",
            "Next steps:",
            f"  cd {slug}",
            "  make run                          # installs, migrates SQLite, serves on :8000",
            "  make test                         # the service's test suite",
            *(
                ["  make admin EMAIL=you@example.com  # creates the first administrator"]
                if answers.get("auth_provider", "local") == "local"
                else []
            ),
            "",
            "Open http://127.0.0.1:8000/docs for the interactive API documentation.",
        ]
    )


if __name__ == "__main__":
    remove_empty_folders(Path.cwd())
    print(next_steps(json.loads(r"""{{ cookiecutter | tojson }}""")))
