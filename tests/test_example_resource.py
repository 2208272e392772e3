"""`include_example_resource`: the notes feature is baked whole, or not at all.

Switched off, nothing may point at it: no file, import, route, table, test, import contract or
line of documentation. The files go through conditional names, so the check holds for every
renderer (Backstage's skips the hooks); the shared files drop their lines through `{% if %}`.
mypy, the import contracts and the suite of a bake without it run in test_baked_suite.py
(the no-example-resource deep context); this module checks what they cannot see: prose, and
leftovers nothing imports.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support.cookies import Cookies, baked_path
from tests.support.rendering import lines_matching
from tests.support.template import DEFAULT_PACKAGE
from tests.support.tree import empty_folders, files

NOTES_PACKAGE = f"src/{DEFAULT_PACKAGE}/notes"
NOTES_MIGRATION = "migrations/versions/2026_11_26_0002_notes.py"
# The feature's tests, with its own fakes, in one folder.
NOTES_TESTS = "tests/notes"
# Every file the option owns.
OWNED_FILES = (
    *(
        f"{NOTES_PACKAGE}/{name}.py"
        for name in (
            "__init__",
            "dependencies",
            "models",
            "repository",
            "router",
            "schemas",
            "service",
        )
    ),
    NOTES_MIGRATION,
    "migrations/versions/2026_12_04_0007_notes_sort_indexes.py",
    "migrations/versions/2026_12_04_0008_notes_version.py",
    "migrations/versions/2026_12_04_0009_notes_idempotency_key.py",
    *(
        f"{NOTES_TESTS}/{name}.py"
        for name in (
            "__init__",
            "fakes",
            "test_api",
            "test_conditional_api",
            "test_idempotent_create_api",
            "test_list_api",
            "test_repository",
            "test_service",
        )
    ),
)
OWNED_FOLDERS = (NOTES_PACKAGE, NOTES_TESTS)
# Shared files that mention the feature only inside `{% if %}` blocks. `api.py`, `models.py`
# and the import contracts in `pyproject.toml` read the list in `features.py`, so that list
# is the one line of code that names it.
SHARED_FILES = (
    f"src/{DEFAULT_PACKAGE}/features.py",
    "README.md",
    "CLAUDE.md",
    "docs/adr/0001-layered-feature-architecture.md",
    "tests/users/test_admin_api.py",
    "tests/core/test_errors.py",
)
# A mention of the feature: `notes`, `note_id`, `/notes`, `test_notes`, `Note`, `NoteRead`,
# `FakeNoteRepository`. Case and letter boundaries keep out words that merely contain it
# (`notebook` and `deathnote` in the common-password list, `annotated`, `denote`).
MENTION = re.compile(r"(?<![A-Za-z])notes?(?![a-z])|Notes?(?![a-z])")


# Breach data, not text about the feature: it holds passwords such as `note1234`.
PASSWORD_LIST = "common-passwords.txt"


def mentions(root: Path) -> list[str]:
    return [
        line
        for line in lines_matching(root, MENTION)
        if not line.split(":", 1)[0].endswith(PASSWORD_LIST)
    ]


@pytest.fixture(scope="module")
def without_notes(cookies_session: Cookies) -> Path:
    return baked_path(cookies_session.bake(extra_context={"include_example_resource": False}))


def test_the_default_bake_has_the_whole_feature(default_project: Path) -> None:
    assert [name for name in OWNED_FILES if not (default_project / name).is_file()] == []
    for name in SHARED_FILES:
        text = (default_project / name).read_text(encoding="utf-8")
        assert MENTION.search(text), f"{name} should mention the example resource"


def test_its_migration_follows_the_initial_schema(default_project: Path) -> None:
    migration = (default_project / NOTES_MIGRATION).read_text(encoding="utf-8")

    assert 'revision: str = "0002"' in migration
    assert 'down_revision: str | None = "0001"' in migration
    assert 'op.create_index("ix_notes_owner_id_created_at"' in migration
    initial = next((default_project / "migrations" / "versions").glob("*_0001_*.py"))
    assert not MENTION.search(initial.read_text(encoding="utf-8"))


def test_switched_off_its_files_and_folders_are_gone(without_notes: Path) -> None:
    assert [name for name in OWNED_FILES if (without_notes / name).exists()] == []
    assert [name for name in OWNED_FOLDERS if (without_notes / name).exists()] == []
    versions = without_notes / "migrations" / "versions"
    # The initial schema, and the background jobs' tables (on by default), which come next.
    assert [path.name for path in files(versions)] == [
        "2026_11_26_0001_initial_schema.py",
        "2026_12_03_0004_jobs.py",
        "2026_12_04_0006_job_trace_context.py",
    ]


def test_switched_off_no_text_mentions_it(without_notes: Path) -> None:
    assert mentions(without_notes) == []


def test_switched_off_the_shared_files_remain(without_notes: Path) -> None:
    assert [name for name in SHARED_FILES if not (without_notes / name).is_file()] == []


def test_no_folder_is_left_empty(default_project: Path, without_notes: Path) -> None:
    # The post-generation hook removes the folders the conditional names emptied.
    assert empty_folders(default_project) == []
    assert empty_folders(without_notes) == []
