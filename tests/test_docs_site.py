"""The template's documentation site builds cleanly and documents every question.

`mkdocs build --strict` turns every warning into a failure: a page missing from the
navigation, a broken link or anchor. The Options page must have one section per question of
cookiecutter.json, naming its default and every value it offers.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml

from tests.support.commands import run_ok, template_tool
from tests.support.template import TEMPLATE_DIR, booleans, choices, default_answers, questions

DOCS_DIR = TEMPLATE_DIR / "docs"
OPTIONS_PAGE = DOCS_DIR / "options.md"
GETTING_STARTED = DOCS_DIR / "getting-started.md"
# "## `project_name`": one level-2 heading per question.
QUESTION_HEADING = re.compile(r"^## `(?P<key>[^`]+)`\s*$", re.MULTILINE)
SHELL_BLOCK = re.compile(r"^```sh\n(?P<body>.*?)^```", re.MULTILINE | re.DOTALL)


def option_sections() -> dict[str, str]:
    """Each question's section of the Options page: its heading up to the next heading."""
    text = OPTIONS_PAGE.read_text(encoding="utf-8")
    headings = list(re.finditer(r"^## ", text, re.MULTILINE))
    sections: dict[str, str] = {}
    for index, heading in enumerate(headings):
        end = headings[index + 1].start() if index + 1 < len(headings) else len(text)
        match = QUESTION_HEADING.match(text, heading.start())
        if match:
            sections[match["key"]] = text[heading.start() : end]
    return sections


def test_site_builds_strictly(tmp_path: Path) -> None:
    site = tmp_path / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}

    run_ok([template_tool("mkdocs"), "build", "--strict", "--site-dir", site], TEMPLATE_DIR, env)

    config = yaml.safe_load((TEMPLATE_DIR / "mkdocs.yml").read_text(encoding="utf-8"))
    pages = [next(iter(entry.values())) for entry in config["nav"]]
    built = [page for page in pages if (site / page.replace(".md", "/index.html")).is_file()]
    assert (site / "index.html").is_file()
    assert sorted([*built, "index.md"]) == sorted({*pages, "index.md"})


def test_every_question_has_a_section_on_the_options_page() -> None:
    documented = set(option_sections())
    asked = set(questions())  # no `_private` keys, no __prompts__

    assert sorted(asked - documented) == [], "questions without a section on docs/options.md"
    assert sorted(documented - asked) == [], "sections for questions cookiecutter.json lacks"


@pytest.mark.parametrize("key", sorted(questions()))
def test_option_section_names_the_default_and_every_value(key: str) -> None:
    section = option_sections().get(key)
    assert section is not None, f"docs/options.md has no section for {key}"
    if key in choices():
        expected = [f"`{value}`" for value in choices()[key]]
    elif key in booleans():
        expected = ["`true`", "`false`"]
    else:
        expected = [f"`{default_answers()[key]}`"]

    assert [value for value in expected if value not in section] == []


def test_getting_started_repeats_the_readmes_commands() -> None:
    # The README's two commands are the front door; the site must not drift from them.
    readme = (TEMPLATE_DIR / "README.md").read_text(encoding="utf-8")
    page = GETTING_STARTED.read_text(encoding="utf-8")
    readme_commands = [
        line.split("  #")[0].strip()
        for block in SHELL_BLOCK.finditer(readme)
        for line in block["body"].splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]

    assert readme_commands
    assert [command for command in readme_commands if command not in page] == []
