"""Regenerate the baked project's lock file after a dependency change in its pyproject.toml.

The dependencies follow a few answers (LOCK_ANSWERS: the database driver, the jobs' brokers,
the GraphQL library, the password hasher), and every bake must ship a lock of exactly its own
dependencies. One lock file per combination would multiply with every such option, so the
skeleton holds ONE templated `uv.lock`: each block of the combinations' locks (the header, one
`[[package]]` entry) appears once, wrapped in the Jinja condition of the combinations whose
lock holds it, and renders, for any answers, to the bytes `uv lock` wrote for them.

For each combination the script bakes the template, whose rendered lock seeds `uv lock` (so a
relock changes only what pyproject.toml changed; `uv lock --upgrade` is for upgrades), locks,
and merges the results. Run it from the template root with the template's tools on PATH:
`.venv/bin/python scripts/relock.py` (or `sh scripts/relock.sh`).
"""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import os
import subprocess
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from graphlib import TopologicalSorter
from pathlib import Path
from typing import Any

from cookiecutter.main import cookiecutter

TEMPLATE_DIR = Path(__file__).resolve().parents[1]
LOCK_PATH = TEMPLATE_DIR / "{{cookiecutter.project_slug}}" / "uv.lock"
# The answers the skeleton's pyproject.toml chooses dependencies by. A new option that adds or
# removes a dependency is one more entry here.
BOOLEAN = (True, False)
LOCK_ANSWERS: dict[str, Sequence[object]] = {
    "database": (),  # every choice of cookiecutter.json
    "include_background_jobs": BOOLEAN,
    "auth_provider": (),
    "include_graphql": BOOLEAN,
}
PROJECT_NAME_LINE = 'name = "orders-service"'
TEMPLATED_NAME_LINE = 'name = "{{ cookiecutter.project_slug }}"'
JINJA_MARKERS = ("{{", "{%", "{#")

Answers = tuple[tuple[str, object], ...]


def lock_answers() -> dict[str, Sequence[object]]:
    questions = json.loads((TEMPLATE_DIR / "cookiecutter.json").read_text(encoding="utf-8"))
    return {key: values or tuple(questions[key]) for key, values in LOCK_ANSWERS.items()}


def combinations(answers: Mapping[str, Sequence[object]]) -> list[Answers]:
    keys = list(answers)
    return [
        tuple(zip(keys, values, strict=True)) for values in itertools.product(*answers.values())
    ]


def test_expression(key: str, value: object) -> str:
    if value is True:
        return f"cookiecutter.{key}"
    if value is False:
        return f"not cookiecutter.{key}"
    return f"cookiecutter.{key} == {json.dumps(value)}"


def condition(group: Sequence[Answers], answers: Mapping[str, Sequence[object]]) -> str | None:
    """The Jinja test true for exactly the combinations in `group` (None: for every one)."""
    chosen = set(group)
    every = combinations(answers)
    if chosen == set(every):
        return None
    # A product of value sets is written key by key; anything else, combination by combination.
    values = {
        key: [v for v in answers[key] if any(dict(c)[key] == v for c in group)] for key in answers
    }
    product = set(combinations(values))
    if product == chosen:
        parts = []
        for key, kept in values.items():
            if len(kept) == len(answers[key]):
                continue
            terms = [test_expression(key, value) for value in kept]
            parts.append(terms[0] if len(terms) == 1 else "(" + " or ".join(terms) + ")")
        return " and ".join(parts)
    terms = [
        "(" + " and ".join(test_expression(key, value) for key, value in combination) + ")"
        for combination in every
        if combination in chosen
    ]
    return " or ".join(terms)


def blocks(lock: str) -> list[str]:
    """A lock's blocks: the header, then one per package with its sub-tables.

    uv writes a blank line between tables, and none inside one; a `[package.*]` table (its
    optional or development dependencies, its metadata) belongs to the package before it.
    """
    merged: list[str] = []
    for table in lock.rstrip("\n").split("\n\n"):
        if table.startswith("[package.") and merged:
            merged[-1] += "\n\n" + table
        else:
            merged.append(table)
    return merged


def block_key(block: str) -> str:
    """What identifies a block across locks: the header, or a package's name, version, source."""
    lines = block.split("\n")
    if lines[0] != "[[package]]":
        return lines[0]
    return "\n".join(lines[:4])


def merged_order(locks: Sequence[Sequence[str]]) -> list[str]:
    """Every block key once, in an order that keeps each lock's own order."""
    graph: TopologicalSorter[str] = TopologicalSorter()
    for keys in locks:
        graph.add(keys[0])
        for before, after in itertools.pairwise(keys):
            graph.add(after, before)
    return list(graph.static_order())


def merge(locks: Mapping[Answers, str], answers: Mapping[str, Sequence[object]]) -> str:
    keyed: dict[Answers, dict[str, str]] = {}
    for combination, lock in locks.items():
        tables = blocks(lock)
        if tables[0].split("\n")[0] != "version = 1":
            raise SystemExit(f"error: unexpected lock header for {dict(combination)}")
        keyed[combination] = {block_key(table): table for table in tables}
        if len(keyed[combination]) != len(tables):
            raise SystemExit(f"error: two blocks share a key in the lock for {dict(combination)}")
    order = merged_order([list(entries) for entries in keyed.values()])
    out: list[str] = []
    for index, key in enumerate(order):
        variants: dict[str, list[Answers]] = {}
        for combination, entries in keyed.items():
            if key in entries:
                variants.setdefault(entries[key], []).append(combination)
        for text, group in variants.items():
            body = text if index == 0 else "\n\n" + text
            test = condition(group, answers)
            out.append(body if test is None else f"{{% if {test} %}}{body}{{% endif %}}")
    return "".join(out) + "\n"


def bake(combination: Answers, into: Path) -> Path:
    context: dict[str, Any] = dict(combination)
    if context.get("database") == "sqlite":
        context["include_kubernetes"] = False  # the hook refuses the manifests with SQLite
    with contextlib.redirect_stdout(io.StringIO()):  # the post-generation message
        project = cookiecutter(
            str(TEMPLATE_DIR), no_input=True, output_dir=str(into), extra_context=context
        )
    return Path(project)


def relock(combination: Answers, work: Path) -> str:
    label = "-".join(str(value) for _, value in combination)
    project = bake(combination, work / label)
    environment = {**os.environ, "UV_PYTHON_DOWNLOADS": "never"}
    subprocess.run(["uv", "lock", "--quiet"], cwd=project, env=environment, check=True)  # noqa: S607
    lock = (project / "uv.lock").read_text(encoding="utf-8")
    if PROJECT_NAME_LINE not in lock.split("\n"):
        raise SystemExit(f"error: the lock for {dict(combination)} does not name orders-service")
    lock = "\n".join(
        TEMPLATED_NAME_LINE if line == PROJECT_NAME_LINE else line for line in lock.split("\n")
    )
    for marker in JINJA_MARKERS:
        if marker in lock.replace(TEMPLATED_NAME_LINE, ""):
            raise SystemExit(f"error: the lock for {dict(combination)} holds {marker!r}")
    print(f"locked {', '.join(f'{key}={value}' for key, value in combination)}")
    return lock


def each_lock(answers: Mapping[str, Sequence[object]]) -> Iterator[tuple[Answers, str]]:
    with tempfile.TemporaryDirectory() as work:
        for combination in combinations(answers):
            yield combination, relock(combination, Path(work))


def main() -> None:
    answers = lock_answers()
    locks = dict(each_lock(answers))
    LOCK_PATH.write_text(merge(locks, answers), encoding="utf-8")
    print(f"wrote {LOCK_PATH.relative_to(TEMPLATE_DIR)} for {len(locks)} combinations")


if __name__ == "__main__":
    main()
