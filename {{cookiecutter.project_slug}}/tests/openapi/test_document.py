"""docs/openapi.json is the app's OpenAPI document, exactly as `make openapi` writes it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from {{ cookiecutter.package_name }}.openapi.commands import DOCUMENT_PATH
from {{ cookiecutter.package_name }}.openapi.document import build_document, render

PROJECT_ROOT = Path(__file__).resolve().parents[2]
COMMITTED = PROJECT_ROOT / DOCUMENT_PATH


def test_the_committed_document_is_the_apps() -> None:
    assert COMMITTED.is_file(), f"{DOCUMENT_PATH} is missing: run `make openapi` and commit it"
    committed = COMMITTED.read_text(encoding="utf-8")
    current = render(build_document())

    assert committed == current, (
        f"{DOCUMENT_PATH} is not the app's OpenAPI document: run `make openapi` and commit it. "
        "A change that breaks clients also needs its line in docs/api-changes-accepted.txt "
        "(`make openapi-check BASE=origin/main` names it; see CLAUDE.md, 'Changing the API')"
    )


def test_the_document_depends_on_the_code_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    # Whatever the shell or .env says, the same code writes the same document.
    expected = render(build_document())
    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.setenv("DOCS_ENABLED", "false")
    monkeypatch.setenv("MAX_BODY_BYTES", "2048")

    assert render(build_document()) == expected


def test_the_document_is_written_in_one_stable_form() -> None:
    text = COMMITTED.read_text(encoding="utf-8")
    document = json.loads(text)

    assert text == json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    # Nothing of the machine that wrote it: no absolute path of this checkout.
    assert str(PROJECT_ROOT) not in text
    assert document["paths"], "the document describes no path"
