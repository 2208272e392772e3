"""cruft from end to end: create records the answers, update brings a release as a clean patch.

Each test plays the service team: bake with `cruft create`, commit, make an edit of its own,
commit, then `cruft update` to a newer template commit. The update must apply the release,
keep the team's edit, leave no `*.rej` file or conflict marker, and `cruft check` must pass.
The figures (files changed by the update, rejected hunks) are recorded as test properties
and printed, so `pytest -s` or the JUnit report shows them.
"""

from __future__ import annotations

import os
import re
import shutil
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from tests.support.commands import run, run_ok, template_tool
from tests.support.cruft import (
    changed_files,
    conflict_markers,
    cruft_create,
    cruft_env,
    cruft_state,
    cruft_update,
    rejected_hunks,
)
from tests.support.git import commit_all, copy_worktree
from tests.support.template import SKELETON_DIR, TEMPLATE_DIR, default_answers, questions
from tests.support.tree import snapshot

TEAM_EDIT = "\n## Team notes\n\nOn call: the payments rota.\n"
# The release the template ships between the two commits of the realistic-update test.
NEW_FILE = "SECURITY.md"
NEW_FILE_SOURCE = (
    "# Security policy of {{ cookiecutter.project_name }}\n\n"
    "Report a vulnerability privately to {{ cookiecutter.author_email }}; do not open an issue.\n"
)
GITIGNORE_ADDITION = "\n# Added by template release 2.\n*.log\n"
CLAUDE_NOTE = "> Security reports: see SECURITY.md."
NEW_DEPENDENCY = '"anyio>=4.4",'
# Baked files a team might edit; the previous-commit test edits the first one its release
# leaves alone.
EDIT_CANDIDATES = (
    "README.md",
    "CLAUDE.md",
    "docs/adr/0001-layered-feature-architecture.md",
    "docs/adr/0002-token-design.md",
    "docs/adr/0003-structured-logging.md",
)
RELOCK_TIMEOUT_SECONDS = 600
SUITE_TIMEOUT_SECONDS = 900
PASSED = re.compile(r"\b\d+ passed\b")
FAILED = re.compile(r"\b\d+ (failed|errors?)\b")

Report = Callable[[str, object], None]


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return cruft_env(tmp_path / "home")


@pytest.fixture
def report(record_property: Report) -> Report:
    def record(name: str, value: object) -> None:
        record_property(name, value)
        print(f"{name}: {value}")

    return record


def git(repo: Path, env: Mapping[str, str], *args: str) -> str:
    return run_ok(["git", *args], repo, env).stdout.strip()


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)


def template_release_one(tmp_path: Path, env: Mapping[str, str]) -> Path:
    """A git repository holding the template as it is in this checkout, committed once."""
    template = tmp_path / "template"
    template.mkdir()
    copy_worktree(TEMPLATE_DIR, template, env)
    commit_all(template, "Template release 1", env)
    return template


def bake_and_commit(template: Path, tmp_path: Path, env: Mapping[str, str], *extra: str) -> Path:
    project = cruft_create(template, tmp_path / "services", env, *extra)
    commit_all(project, "Bake the service", env)
    return project


def with_uv(env: Mapping[str, str]) -> dict[str, str]:
    """`env` plus the template's uv, cookiecutter and python on PATH, and the user's uv cache.

    The isolated HOME would otherwise give uv an empty cache, and every resolution would
    fetch all package metadata again.
    """
    uv = template_tool("uv")
    cache = run_ok([uv, "cache", "dir"], TEMPLATE_DIR, os.environ).stdout.strip()
    path = os.pathsep.join([str(uv.parent), env.get("PATH", "")])
    return {**env, "PATH": path, "UV_CACHE_DIR": cache}


def relock(template: Path, env: Mapping[str, str]) -> None:
    """The template's scripts/relock.sh, with the template's own cookiecutter and uv."""
    run_ok(["sh", "scripts/relock.sh"], template, with_uv(env), timeout=RELOCK_TIMEOUT_SECONDS)


def ship_release_two(template: Path, env: Mapping[str, str]) -> None:
    """A realistic release: a new file, two edited files, a new dependency with its lock."""
    skeleton = template / SKELETON_DIR.name
    (skeleton / NEW_FILE).write_text(NEW_FILE_SOURCE, encoding="utf-8")
    append(skeleton / ".gitignore", GITIGNORE_ADDITION)
    claude = skeleton / "CLAUDE.md"
    lines = claude.read_text(encoding="utf-8").splitlines(keepends=True)
    claude.write_text("".join([lines[0], "\n", CLAUDE_NOTE + "\n", *lines[1:]]), encoding="utf-8")
    pyproject = skeleton / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    anchor = "dependencies = [\n"
    assert text.count(anchor) == 1, "the baked pyproject.toml has no single dependencies list"
    pyproject.write_text(text.replace(anchor, f"{anchor}    {NEW_DEPENDENCY}\n"), encoding="utf-8")
    relock(template, env)
    commit_all(template, "Template release 2: security policy, log files, anyio", env)


def assert_clean_update(project: Path, env: Mapping[str, str], report: Report) -> list[str]:
    changed = changed_files(project, env)
    rejects = rejected_hunks(project)
    report("files_changed_by_update", len(changed))
    report("changed_files", ", ".join(changed))
    report("rej_files", len(rejects))

    assert rejects == []
    assert conflict_markers(project) == []
    run_ok([template_tool("cruft"), "check"], project, env)
    return changed


# --- (a) create ------------------------------------------------------------------------------


def test_cruft_create_records_the_answers(tmp_path: Path, env: dict[str, str]) -> None:
    template = template_release_one(tmp_path, env)

    project = bake_and_commit(template, tmp_path, env)

    state = cruft_state(project)
    answers = state["context"]["cookiecutter"]
    defaults = default_answers()
    assert state["template"] == str(template)
    assert state["commit"] == git(template, env, "rev-parse", "HEAD")
    assert state["checkout"] is None
    assert {key: answers[key] for key in questions()} == {key: defaults[key] for key in questions()}
    # Local state the update must never overwrite (the development database is SQLite).
    pyproject = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    skip = pyproject["tool"]["cruft"]["skip"]
    assert ".env" in skip
    assert f"{defaults['package_name']}.db" in skip or "*.db" in skip


# --- (b) a realistic release between two template commits ------------------------------------


@pytest.mark.slow  # relocks the skeleton's dependencies (uv lock per combination), runs the suite
def test_cruft_update_applies_a_realistic_release(
    tmp_path: Path, env: dict[str, str], baked_env: dict[str, str], report: Report
) -> None:
    template = template_release_one(tmp_path, env)
    project = bake_and_commit(template, tmp_path, env)
    append(project / "README.md", TEAM_EDIT)
    commit_all(project, "Team notes", env)
    ship_release_two(template, env)

    cruft_update(project, env)

    changed = assert_clean_update(project, env, report)
    assert changed == sorted(
        [".cruft.json", ".gitignore", "CLAUDE.md", NEW_FILE, "pyproject.toml", "uv.lock"]
    )
    assert cruft_state(project)["commit"] == git(template, env, "rev-parse", "HEAD")
    assert (project / "README.md").read_text(encoding="utf-8").endswith(TEAM_EDIT)
    answers = default_answers()
    assert (project / NEW_FILE).read_text(encoding="utf-8") == (
        f"# Security policy of {answers['project_name']}\n\n"
        f"Report a vulnerability privately to {answers['author_email']}; do not open an issue.\n"
    )
    assert (project / ".gitignore").read_text(encoding="utf-8").endswith(GITIGNORE_ADDITION)
    assert CLAUDE_NOTE in (project / "CLAUDE.md").read_text(encoding="utf-8")
    assert NEW_DEPENDENCY in (project / "pyproject.toml").read_text(encoding="utf-8")
    # The lock arrived with the dependency: the updated service still installs as locked,
    # and its own suite still passes.
    run_ok([template_tool("uv"), "lock", "--check"], project, with_uv(env))
    suite = run_ok(["make", "test"], project, baked_env, timeout=SUITE_TIMEOUT_SECONDS)
    assert PASSED.search(suite.stdout)
    assert not FAILED.search(suite.stdout)


# --- (c) this repository's previous commit to its HEAD ---------------------------------------


def history() -> tuple[str, str]:
    """(previous commit, HEAD) of this checkout, or a skip saying why there are none."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    environment = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1"}
    commits = []
    for revision in ("HEAD", "HEAD~1"):
        found = run(
            ["git", "rev-parse", "--verify", "--quiet", revision], TEMPLATE_DIR, environment
        )
        if found.returncode != 0:
            pytest.skip(
                f"needs this repository's git history ({revision} is unknown here: a shallow "
                "clone, an export without .git, or a repository with one commit)"
            )
        commits.append(found.stdout.strip())
    head, previous = commits
    return previous, head


def untouched_candidate(clone: Path, previous: str, head: str, env: Mapping[str, str]) -> str:
    prefix = f"{SKELETON_DIR.name}/"
    changed = set(git(clone, env, "diff", "--name-only", previous, head, "--", prefix).splitlines())
    present = set(
        git(clone, env, "ls-tree", "-r", "--name-only", previous, "--", prefix).split("\n")
    )
    for candidate in EDIT_CANDIDATES:
        source = prefix + candidate
        if source in present and source not in changed:
            return candidate
    pytest.fail(f"every candidate file changed between {previous} and {head}: {EDIT_CANDIDATES}")


def test_cruft_update_from_the_previous_commit_to_head(
    tmp_path: Path, env: dict[str, str], report: Report
) -> None:
    previous, head = history()
    clone = tmp_path / "template"
    run_ok(["git", "clone", "--quiet", "--no-checkout", TEMPLATE_DIR, clone], tmp_path, env)
    # A branch at HEAD, whatever this checkout's state (CI often has a detached HEAD).
    git(clone, env, "checkout", "--quiet", "-B", "release", head)
    edited = untouched_candidate(clone, previous, head, env)

    project = bake_and_commit(clone, tmp_path, env, "--checkout", previous)
    assert cruft_state(project)["commit"] == previous
    append(project / edited, TEAM_EDIT)
    commit_all(project, "Team notes", env)

    cruft_update(project, env)

    changed = assert_clean_update(project, env, report)
    report("update", f"{previous[:12]} -> {head[:12]}, team edit in {edited}")
    assert cruft_state(project)["commit"] == head
    assert (project / edited).read_text(encoding="utf-8").endswith(TEAM_EDIT)
    assert ".cruft.json" in changed
    # The release arrived whole: the updated service is a fresh bake at HEAD plus the edit.
    fresh = cruft_create(clone, tmp_path / "fresh", env)
    append(fresh / edited, TEAM_EDIT)
    ignored = {".cruft.json"}
    updated_files = {k: v for k, v in snapshot(project).items() if not k.startswith(".git/")}
    fresh_files = {k: v for k, v in snapshot(fresh).items() if not k.startswith(".git/")}
    differing = sorted(
        name
        for name in (updated_files.keys() | fresh_files.keys()) - ignored
        if updated_files.get(name) != fresh_files.get(name)
    )
    assert differing == []
