"""Signs that rendering went wrong: template syntax that survived it."""

from __future__ import annotations

import re
from pathlib import Path

from tests.support.tree import text_files

# Jinja syntax, or a variable reference, that survived rendering. `${{` is GitHub Actions'
# own expression syntax, which the workflows must keep; `{{ $labels.instance }}` is Prometheus's
# alert templating (deploy/observability/alerts.yaml), and no Jinja expression starts with `$`.
LEFTOVER_TEMPLATE_SYNTAX = re.compile(r"(?<!\$)\{\{(?!-?\s*\$)|\{%|\bcookiecutter\.[A-Za-z_]")


def lines_matching(root: Path, pattern: re.Pattern[str]) -> list[str]:
    """Every line of every text file under `root` that `pattern` finds, as `path:line: text`."""
    return [
        f"{path.relative_to(root)}:{number}: {line.strip()}"
        for path, text in text_files(root)
        for number, line in enumerate(text.splitlines(), start=1)
        if pattern.search(line)
    ]


def leftover_lines(root: Path) -> list[str]:
    """Every line of every text file under `root` that still holds template syntax."""
    return lines_matching(root, LEFTOVER_TEMPLATE_SYNTAX)


def unrendered_names(root: Path) -> list[str]:
    """File and folder names that still hold template syntax."""
    return [
        path.relative_to(root).as_posix()
        for path in root.rglob("*")
        if "{{" in path.name or "{%" in path.name
    ]
