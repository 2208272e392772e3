"""`make openapi` and `make openapi-check`, run in a real git repository."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from {{ cookiecutter.package_name }}.openapi.commands import DOCUMENT_PATH, main
from {{ cookiecutter.package_name }}.openapi.document import build_document, render
from tests.openapi.test_breaking import base_document

ACCEPTED = Path("docs/api-changes-accepted.txt")
REMOVED = "removed-property: GET /items/{item_id} response 200 application/json: name"


def git(repository: Path, *args: str) -> str:
    done = subprocess.run(  # noqa: S603 - fixed arguments
        [  # noqa: S607 - git from PATH
            "git",
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.com",
            "-c",
            "commit.gpgsign=false",
            *args,
        ],
        cwd=repository,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def commit(repository: Path, document: dict[str, Any], message: str) -> None:
    (repository / DOCUMENT_PATH).parent.mkdir(exist_ok=True)
    (repository / DOCUMENT_PATH).write_text(render(document), encoding="utf-8")
    git(repository, "add", "-A")
    git(repository, "commit", "-q", "-m", message)


@pytest.fixture
def repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository whose main branch has the document, checked out on a branch of it."""
    git(tmp_path, "init", "-q", "-b", "main")
    commit(tmp_path, base_document(), "the document")
    git(tmp_path, "checkout", "-q", "-b", "change")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def without_name(document: dict[str, Any]) -> dict[str, Any]:
    document["components"]["schemas"]["Item"]["properties"].pop("name")
    document["components"]["schemas"]["Item"]["required"].remove("name")
    return document


def test_no_change_passes(repository: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--base", "main"]) == 0
    assert "0 breaking change(s)" in capsys.readouterr().out


def test_a_break_fails_naming_it_and_what_to_do(
    repository: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    commit(repository, without_name(base_document()), "drop name")

    assert main(["check", "--base", "main"]) == 1
    output = capsys.readouterr()
    assert f"breaking, not accepted: {REMOVED}" in output.out
    assert "add its line to docs/api-changes-accepted.txt" in output.err


def test_an_accepted_break_passes(repository: Path, capsys: pytest.CaptureFixture[str]) -> None:
    commit(repository, without_name(base_document()), "drop name")
    lines = [
        "removed-property: GET /items response 200 application/json: [].name  # unused",
        f"{REMOVED}  # no client reads it (checked in the access logs)",
        "removed-property: POST /items response 201 application/json: name  # unused",
    ]
    (repository / ACCEPTED).write_text("\n".join(lines) + "\n", encoding="utf-8")

    assert main(["check", "--base", "main"]) == 0
    assert "3 breaking change(s), 3 accepted" in capsys.readouterr().out


def test_an_acceptance_without_a_reason_is_an_error(
    repository: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    commit(repository, without_name(base_document()), "drop name")
    (repository / ACCEPTED).write_text(f"{REMOVED}\n", encoding="utf-8")

    assert main(["check", "--base", "main"]) == 2
    assert "say why this break is acceptable" in capsys.readouterr().err


def test_only_the_branchs_own_changes_count(
    repository: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # main moves on (removing the field there, accepted there); this branch, forked before,
    # is compared with where it forked, so main's change is not this branch's break.
    git(repository, "checkout", "-q", "main")
    commit(repository, without_name(base_document()), "drop name on main")
    git(repository, "checkout", "-q", "change")

    assert main(["check", "--base", "main"]) == 0
    capsys.readouterr()


def test_a_base_that_is_not_a_commit_here_is_skipped(
    repository: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    commit(repository, without_name(base_document()), "drop name")

    assert main(["check", "--base", "origin/main"]) == 0
    assert "nothing to compare with, skipped" in capsys.readouterr().out
    assert main(["check", "--base", "0" * 40]) == 0
    assert main(["check", "--base", ""]) == 0


def test_a_document_new_since_the_base_is_skipped(
    repository: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    git(repository, "rm", "-q", str(DOCUMENT_PATH))
    git(repository, "commit", "-q", "-m", "no document yet")
    base = git(repository, "rev-parse", "HEAD").strip()
    commit(repository, base_document(), "the document again")

    assert main(["check", "--base", base]) == 0
    assert "did not exist at" in capsys.readouterr().out


def test_a_missing_document_is_an_error(
    repository: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repository / DOCUMENT_PATH).unlink()

    assert main(["check", "--base", "main"]) == 2
    assert "run `make openapi`" in capsys.readouterr().err


def test_write_writes_the_apps_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)

    assert main(["write"]) == 0
    written = (tmp_path / DOCUMENT_PATH).read_text(encoding="utf-8")
    assert written == render(build_document())
    assert json.loads(written)["openapi"].startswith("3.")
