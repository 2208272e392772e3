"""What a bake writes: complete rendering, parseable files, names derived from the answers."""

from __future__ import annotations

import tomllib
from pathlib import Path

from tests.support.cookies import Cookies, baked_path
from tests.support.parsing import formats_present, unparseable_files
from tests.support.rendering import leftover_lines, unrendered_names
from tests.support.template import (
    DEFAULT_PACKAGE,
    DEFAULT_PYTHON_VERSION,
    DEFAULT_SLUG,
    TEMPLATE_DIR,
)
from tests.support.tree import text_files


def read_toml(path: Path) -> dict[str, object]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def test_default_answers_bake_the_default_service(cookies: Cookies) -> None:
    project = baked_path(cookies.bake())

    assert project.name == DEFAULT_SLUG
    assert (project / "src" / DEFAULT_PACKAGE / "main.py").is_file()
    python_version = (project / ".python-version").read_text(encoding="utf-8").strip()
    assert python_version == DEFAULT_PYTHON_VERSION


def test_no_template_syntax_is_left(default_project: Path) -> None:
    assert leftover_lines(default_project) == []


def test_file_and_folder_names_are_rendered(default_project: Path) -> None:
    assert unrendered_names(default_project) == []


def test_no_machine_specific_path_is_written(default_project: Path) -> None:
    # Absolute paths differ per machine and bake, so `cruft update` would see them as changes.
    machine_paths = (str(TEMPLATE_DIR), str(default_project.parent), str(Path.home()))
    offenders = [
        str(path.relative_to(default_project))
        for path, text in text_files(default_project)
        if any(machine_path in text for machine_path in machine_paths)
    ]

    assert offenders == []


def test_python_toml_yaml_and_json_files_parse(default_project: Path) -> None:
    assert formats_present(default_project) >= {"python", "toml", "yaml"}
    assert unparseable_files(default_project) == []


def test_lock_belongs_to_the_baked_project(default_project: Path) -> None:
    pyproject = read_toml(default_project / "pyproject.toml")
    lock = read_toml(default_project / "uv.lock")

    project_table = pyproject["project"]
    packages = lock["package"]
    assert isinstance(project_table, dict)
    assert isinstance(packages, list)
    assert project_table["name"] == DEFAULT_SLUG
    assert DEFAULT_SLUG in {package["name"] for package in packages}


def test_names_are_derived_from_the_project_name(cookies: Cookies) -> None:
    project = baked_path(cookies.bake(extra_context={"project_name": "Billing & Payments API"}))

    assert project.name == "billing-payments-api"
    assert (project / "src" / "billing_payments_api" / "__init__.py").is_file()
    project_table = read_toml(project / "pyproject.toml")["project"]
    assert isinstance(project_table, dict)
    assert project_table["name"] == "billing-payments-api"
    assert leftover_lines(project) == []


def test_answers_with_quotes_and_backslashes_stay_data(cookies: Cookies) -> None:
    # Free-text answers land in Python, TOML and YAML; whatever characters they hold, every
    # one of those files must still parse.
    project = baked_path(
        cookies.bake(
            extra_context={
                "project_name": 'Night "Ops" Desk',
                "description": 'Routes "urgent" jobs \\ alerts; it\'s fast',
                "author_name": "O'Brien \\ Team",
            }
        )
    )

    assert unparseable_files(project) == []
