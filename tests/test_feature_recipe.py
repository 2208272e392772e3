"""CLAUDE.md's add-a-feature recipe, followed as written, gives a feature that passes `make check`.

The recipe is the path every team takes to grow a baked service, so it is run here the way a
new engineer (or the agent the project ships) would: the copy commands are read out of
CLAUDE.md's "Add a feature" section and run, the names are changed as it says, the feature is
registered with its one line in `features.py`, documented where the docs tests demand, given
its migration with `make revision`, and `make check` must pass. A recipe step that no longer
produces a working feature, or a layout that makes a feature touch more than its own folders
and that one line, fails here.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from tests.support.commands import run_ok
from tests.support.cookies import Cookies, baked_path
from tests.support.template import DEFAULT_PACKAGE

CHECK_TIMEOUT_SECONDS = 1200
FEATURE = "orders"
PASSED = re.compile(r"\b(\d+) passed\b")
FAILED_OR_SKIPPED = re.compile(r"\b\d+ (failed|skipped|errors?)\b")
# CLAUDE.md's renaming, `Note` -> `Order`, `notes` -> `orders`, `note` -> `order`: a capital
# `Note` may follow letters (`FakeNoteRepository`), a lower-case `note` starts a word or follows
# `_` (`note_id`, `test_notes`), and neither runs on into lower-case letters (`Notebook`).
CAPITALISED = re.compile(r"Note(s?)(?![a-z])")
LOWER = re.compile(r"(?<![A-Za-z])note(s?)(?![a-z])")


def rename(text: str) -> str:
    text = CAPITALISED.sub(lambda match: "Order" + match[1], text)
    return LOWER.sub(lambda match: "order" + match[1], text)


def section(text: str, heading: str) -> str:
    start = text.index(f"\n## {heading}")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def recipe_copy_commands(claude_md: str) -> list[list[str]]:
    """The `cp -r` lines of the recipe's first step, as argument lists."""
    recipe = section(claude_md, "Add a feature")
    commands = [
        shlex.split(line.strip())
        for line in recipe.splitlines()
        if line.strip().startswith("cp -r ")
    ]
    assert commands, "CLAUDE.md's `## Add a feature` no longer says what to copy (`cp -r ...`)"
    return commands


def follow_the_copy_step(project: Path, claude_md: str) -> list[Path]:
    """Run the recipe's copies, then rename file contents and names; return the new folders."""
    folders: list[Path] = []
    for command in recipe_copy_commands(claude_md):
        assert command[:2] == ["cp", "-r"], command
        assert len(command) == 4, command
        source, target = project / command[2], project / command[3]
        assert source.is_dir(), f"CLAUDE.md copies {command[2]}, which the bake does not have"
        assert not target.exists()
        run_ok(command, project, {"PATH": "/usr/bin:/bin"})
        for path in sorted(target.rglob("*"), reverse=True):  # deepest first, for renames
            if "__pycache__" in path.parts:
                continue
            if path.is_file():
                path.write_text(rename(path.read_text(encoding="utf-8")), encoding="utf-8")
            renamed = path.with_name(rename(path.name))
            if renamed != path:
                path.rename(renamed)
        folders.append(target)
    return folders


def register_the_feature(project: Path) -> None:
    features = project / "src" / DEFAULT_PACKAGE / "features.py"
    text = features.read_text(encoding="utf-8")
    # A new feature is added last, so the routes it brings are matched after those before it.
    end = text.find("\n)\n", text.index("FEATURES: tuple[str, ...] = ("))
    assert end != -1, "features.py no longer ends its FEATURES tuple with a line of its own"
    features.write_text(f'{text[: end + 1]}    "{FEATURE}",\n{text[end + 1 :]}', encoding="utf-8")


def document_the_feature(project: Path) -> None:
    """The README's endpoint rows and CLAUDE.md's layout line, as recipe step 9 says."""
    readme = project / "README.md"
    lines = readme.read_text(encoding="utf-8").splitlines(keepends=True)
    # The rows of notes/ itself: the imports' rows belong to note_imports/, which is not copied.
    note_rows = [
        line
        for line in lines
        if line.startswith("| `") and "/api/v1/notes" in line and "/imports" not in line
    ]
    assert note_rows, "README.md's endpoint table has no notes rows to model the new ones on"
    last = max(index for index, line in enumerate(lines) if line in note_rows)
    lines[last + 1 : last + 1] = [rename(line) for line in note_rows]
    readme.write_text("".join(lines), encoding="utf-8")

    claude = project / "CLAUDE.md"
    text = claude.read_text(encoding="utf-8")
    notes_line = next(line for line in text.splitlines() if line.startswith("  notes/"))
    claude.write_text(
        text.replace(notes_line, f"{notes_line}\n  {FEATURE}/            what users order"),
        encoding="utf-8",
    )


@pytest.mark.slow
def test_the_add_a_feature_recipe_gives_a_feature_that_passes_make_check(
    cookies: Cookies, baked_env: dict[str, str]
) -> None:
    project = baked_path(cookies.bake(extra_context={"database": "sqlite"}))
    claude_md = (project / "CLAUDE.md").read_text(encoding="utf-8")
    recipe = section(claude_md, "Add a feature")
    steps = ("features.py", 'make revision MESSAGE="add orders"', "make format", "make openapi")
    for step in (*steps, "make check"):
        assert step in recipe, f"CLAUDE.md's recipe no longer mentions {step}"
    run_ok(["make", "install"], project, baked_env, timeout=600)

    src, tests = follow_the_copy_step(project, claude_md)
    register_the_feature(project)
    document_the_feature(project)
    run_ok(["make", "migrate"], project, baked_env)
    run_ok(["make", "revision", "MESSAGE=add orders"], project, baked_env)
    migrations = list((project / "migrations" / "versions").glob("*add_orders*.py"))
    assert len(migrations) == 1, "make revision wrote no migration for the new feature"
    assert 'op.create_table(\n        "orders"' in migrations[0].read_text(encoding="utf-8")

    run_ok(["make", "format"], project, baked_env)
    run_ok(["make", "openapi"], project, baked_env)
    check = run_ok(["make", "check"], project, baked_env, timeout=CHECK_TIMEOUT_SECONDS)
    assert "Success: no issues found" in check.stdout
    assert PASSED.search(check.stdout)
    assert not FAILED_OR_SKIPPED.search(check.stdout)

    # The copied tests ran and exercise the new routes, as many as the originals.
    originals = run_ok(["make", "test-fast", "PYTEST_ARGS=tests/notes"], project, baked_env)
    copies = run_ok(["make", "test-fast", f"PYTEST_ARGS=tests/{FEATURE}"], project, baked_env)
    counted = [PASSED.search(result.stdout) for result in (originals, copies)]
    original_count, copy_count = counted
    assert original_count is not None, "the notes tests reported no passing test"
    assert copy_count is not None, "the copied tests reported no passing test"
    assert int(copy_count[1]) == int(original_count[1]) > 0
    assert src.name == FEATURE
    assert tests.name == FEATURE
