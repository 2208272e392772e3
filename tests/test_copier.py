"""Copier serves the template too: copier.yml is cookiecutter.json's twin.

A bake with Copier must hold the bytes a bake with Cookiecutter holds for the same answers
(only each tool's own record differs: .copier-answers.yml, .cruft.json), refuse the answers
the pre-generation hook refuses with the hook's words, and take a template release through
`copier update` as cleanly as `cruft update` does, a service moved over from cruft included.
"""

from __future__ import annotations

import json
import keyword
import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml
from copier import run_copy

from tests.support.commands import run_ok, template_tool
from tests.support.copier import (
    ANSWERS_FILE,
    CRUFT_FILE,
    STATIC_EXCLUDES,
    cookiecutter_bake,
    copier_config,
    copier_questions,
    expected_folder_excludes,
    render,
    validator_message,
)
from tests.support.cruft import (
    changed_files,
    conflict_markers,
    cruft_create,
    cruft_env,
    rejected_hunks,
)
from tests.support.git import commit_all, copy_worktree
from tests.support.hooks import pre_gen_hook
from tests.support.options import MATRIX, context_id, smallest_context
from tests.support.template import (
    COOKIECUTTER_JSON,
    SKELETON_DIR,
    TEMPLATE_DIR,
    choices,
    default_answers,
    following_booleans,
    questions,
)
from tests.support.tree import empty_folders, snapshot

# The defaults, the smallest bake, and two between them: one without the example resource
# or jobs on GitLab, one with SQLite in production and HS256.
COMPARED_CONTEXTS = [
    pytest.param({}, id="defaults"),
    pytest.param(smallest_context(), id="smallest"),
    pytest.param(MATRIX[2], id=context_id(MATRIX[2])),
    pytest.param(MATRIX[3], id=context_id(MATRIX[3])),
]
TEAM_EDIT = "\n## Team notes\n\nOn call: the payments rota.\n"
RELEASE_NOTE = "> Security reports: see SECURITY.md."
NEW_FILE = "SECURITY.md"
NEW_FILE_SOURCE = "# Security policy of {{ cookiecutter.project_name }}\n"
UPDATING_DOC = TEMPLATE_DIR / "docs" / "updating.md"
MOVE_HEADING = "## Moving a service from cruft to Copier"
# Names whose slug Copier's regular expressions must derive as Cookiecutter's slugify does.
PROJECT_NAMES = (
    "Orders Service",
    "Billing API v2",
    "  Ledger -- Core  ",
    "Cats' Home",
    "1,000 Cuts",
)


def cookiecutter_json() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(COOKIECUTTER_JSON.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The template as it would be committed, outside any git repository."""
    target = tmp_path_factory.mktemp("template")
    copy_worktree(TEMPLATE_DIR, target, cruft_env(tmp_path_factory.mktemp("home")))
    return target


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return cruft_env(tmp_path / "home")


def copier_bake(template: Path, project: Path, context: Mapping[str, object]) -> Path:
    run_copy(str(template), str(project), data=dict(context), defaults=True, quiet=True)
    return project


# --- copier.yml in step with cookiecutter.json ------------------------------------------------


def test_every_question_has_a_copier_twin() -> None:
    """Same questions in the same order, same prompts, defaults and choices."""
    prompts = cookiecutter_json()["__prompts__"]
    twins = copier_questions()
    assert [key for key in twins if key != "cookiecutter"] == list(questions())
    for key, value in questions().items():
        twin = twins[key]
        assert twin.get("help") == prompts[key], f"{key}: copier.yml's help is not the prompt"
        if isinstance(value, list):
            assert twin.get("choices") == value, f"{key}: the choices differ"
            assert twin.get("default") == value[0], f"{key}: the default is not the first choice"
        elif isinstance(value, bool):
            assert twin.get("type") == "bool", f"{key}: a yes/no question is type: bool"
            assert twin.get("default") is value, f"{key}: the default differs"
        elif key in following_booleans():
            assert twin.get("type") == "bool", f"{key}: a yes/no question is type: bool"
            assert "{{" in str(twin.get("default")), f"{key}: the default must follow"
        elif "{{" in value:
            assert "{{" in str(twin.get("default")), f"{key}: the default must be derived"
        else:
            assert twin.get("default") == value, f"{key}: the default differs"
        if isinstance(value, str) and key not in following_booleans():
            # Free text: the hook checks it, so Copier must too.
            assert twin.get("validator"), f"{key}: free text needs the hook's check as validator"


def test_the_skeleton_reads_every_answer_and_private_key_through_cookiecutter() -> None:
    hidden = copier_questions()["cookiecutter"]
    assert hidden["when"] is False
    assert hidden["type"] == "json"
    private = {
        key: value
        for key, value in cookiecutter_json().items()
        if key.startswith("_") and key not in {"_extensions", "_copy_without_render", "__prompts__"}
    }
    answers = {"project_name": "Orders Service", "include_backstage": True}
    rendered = json.loads(
        render(hidden["default"], {"_copier_answers": {"_commit": "x", **answers}})
    )
    assert rendered == {**private, **answers}


def test_copier_derives_the_defaults_cookiecutter_derives() -> None:
    """Every derived default (the slug, the package, a following yes/no) renders alike,
    for names with punctuation and for every value of every choice."""
    twins = copier_questions()
    derived = [
        key for key, value in questions().items() if isinstance(value, str) and "{{" in value
    ]
    contexts = [default_answers(project_name=name) for name in PROJECT_NAMES] + [
        default_answers(**{key: value}) for key, values in choices().items() for value in values
    ]
    for answers in contexts:
        for key in derived:
            rendered = render(twins[key]["default"], answers)
            if key in following_booleans():
                rendered = rendered.lower()
            assert rendered == str(answers[key]), (key, answers)


def test_the_folder_excludes_follow_the_skeleton() -> None:
    """Copier creates every folder; Cookiecutter's post-gen hook removes the empty ones."""
    excludes = copier_config()["_exclude"]
    expected = expected_folder_excludes()
    entries = "\n".join("  - '" + entry.replace("'", "''") + "'" for entry in expected)
    assert excludes == [*STATIC_EXCLUDES, *expected], (
        f"copier.yml's _exclude must end with these entries:\n{entries}"
    )


def test_the_password_list_renders_to_itself() -> None:
    """The common-passwords list is rendered like every file (its name is conditional), by
    Cookiecutter and Copier alike, so it must hold nothing Jinja reads."""
    lists = [path for path in SKELETON_DIR.rglob("*common-passwords.txt*") if path.is_file()]
    assert lists, "the skeleton has no common-passwords list"
    for path in lists:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\{\{|\{%|\{#|\r", text), f"{path} would change when rendered"


# --- the same refusals ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "values"),
    [
        ("project_name", ["", "   ", "Two\nlines", "x" * 101, "Orders Service"]),
        ("description", ["", "tab\there", "x" * 201, "Fine."]),
        ("author_name", ["", "x" * 101, "Platform Team"]),
        (
            "project_slug",
            ["Orders Service!", "1orders", "orders--service", "a" * 64, "orders-service"],
        ),
        (
            "package_name",
            [
                "Orders",
                "orders-service",
                "a" * 64,
                "class",
                "match",
                "logging",
                "json",
                "fastapi",
                "tests",
                "orders_service",
            ],
        ),
        ("author_email", ["platform-at-example.com", "a@b", "a b@c.de", "platform@example.com"]),
        (
            "owner",
            ["Group:Platform", "group:", "team:x", "user:jane.doe", "group:payments/billing"],
        ),
    ],
)
def test_copier_validators_say_what_the_hook_says(question: str, values: list[str]) -> None:
    hook = pre_gen_hook()
    for value in values:
        answers = {**default_answers(), question: value}
        if question == "project_slug":
            answers["package_name"] = "orders_service"
        said = [line for line in hook.validate(answers) if line.startswith(f"{question}:")]
        assert validator_message(question, answers) == (said[0] if said else ""), value


def test_copier_refuses_what_the_combination_rules_refuse() -> None:
    hook = pre_gen_hook()
    for combination, _reason in hook.UNSUPPORTED_COMBINATIONS:
        answers = {**default_answers(), **combination}
        (expected,) = hook.combination_problems(answers)
        last = list(combination)[-1]
        assert validator_message(last, answers) == expected


def test_copier_refuses_every_name_the_hook_refuses_for_the_package() -> None:
    """Keywords, this Python's standard library and the dependencies, all refused."""
    hook = pre_gen_hook()
    names = [
        *keyword.kwlist,
        *keyword.softkwlist,
        *sys.stdlib_module_names,
        *sorted(hook.DEPENDENCY_MODULES),
    ]
    for name in names:
        answers = {**default_answers(), "package_name": name}
        said = [line for line in hook.validate(answers) if line.startswith("package_name:")]
        if said:
            assert validator_message("package_name", answers) == said[0]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(
            {"project_slug": "Orders Service!"},
            "project_slug: 'Orders Service!' is not valid",
            id="invalid-slug",
        ),
        pytest.param(
            {"database": "sqlite", "include_kubernetes": True},
            "database=sqlite and include_kubernetes=true cannot be combined",
            id="sqlite-with-kubernetes",
        ),
    ],
)
def test_copier_copy_refuses_bad_answers(
    template: Path, tmp_path: Path, data: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        copier_bake(template, tmp_path / "orders-service", data)
    assert not (tmp_path / "orders-service").exists()


# --- the same bytes ---------------------------------------------------------------------------


@pytest.mark.parametrize("context", COMPARED_CONTEXTS)
def test_copier_bakes_what_cookiecutter_bakes(
    template: Path, tmp_path: Path, context: dict[str, object]
) -> None:
    baked = cookiecutter_bake(template, tmp_path / "cookiecutter", context)
    copied = copier_bake(template, tmp_path / "copier" / baked.name, context)

    assert (copied / ANSWERS_FILE).is_file()
    assert not (baked / ANSWERS_FILE).exists()
    assert not (copied / CRUFT_FILE).exists()
    recorded = yaml.safe_load((copied / ANSWERS_FILE).read_text(encoding="utf-8"))
    assert {key: recorded[key] for key in context} == context
    assert "cookiecutter" not in recorded
    files_of_cookiecutter = snapshot(baked)
    files_of_copier = {k: v for k, v in snapshot(copied).items() if k != ANSWERS_FILE}
    assert sorted(files_of_copier) == sorted(files_of_cookiecutter)
    differing = sorted(
        name for name in files_of_copier if files_of_copier[name] != files_of_cookiecutter[name]
    )
    assert differing == []
    assert empty_folders(copied) == empty_folders(baked) == []


# --- copier update ----------------------------------------------------------------------------


def git(repo: Path, env: Mapping[str, str], *args: str) -> str:
    return run_ok(["git", *args], repo, env).stdout.strip()


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)


def template_history(tmp_path: Path, env: Mapping[str, str]) -> tuple[Path, str, str]:
    """A git repository of the template with two commits: (its path, release 1, release 2).

    Release 2 adds a file and a line near the top of README.md, whose end the team edits.
    """
    template = tmp_path / "template"
    template.mkdir()
    copy_worktree(TEMPLATE_DIR, template, env)
    commit_all(template, "Template release 1", env)
    first = git(template, env, "rev-parse", "HEAD")
    (template / SKELETON_DIR.name / NEW_FILE).write_text(NEW_FILE_SOURCE, encoding="utf-8")
    readme = template / SKELETON_DIR.name / "README.md"
    lines = readme.read_text(encoding="utf-8").splitlines(keepends=True)
    readme.write_text("".join([lines[0], "\n", RELEASE_NOTE + "\n", *lines[1:]]), "utf-8")
    commit_all(template, "Template release 2: security policy", env)
    return template, first, git(template, env, "rev-parse", "HEAD")


def copier_update(project: Path, env: Mapping[str, str]) -> None:
    """`copier update --defaults`, as docs/updating.md gives it."""
    run_ok([template_tool("copier"), "update", "--defaults"], project, env)


def documented_move_to_copier() -> str:
    """The shell commands docs/updating.md gives for moving a cruft service to Copier."""
    page = UPDATING_DOC.read_text(encoding="utf-8")
    section = page.split(f"\n{MOVE_HEADING}\n", 1)[1]
    block = re.search(r"^```sh\n(.*?)^```$", section, re.DOTALL | re.MULTILINE)
    assert block is not None, f"no sh block under {MOVE_HEADING!r} in {UPDATING_DOC}"
    return block.group(1)


def assert_release_two_arrived(project: Path, env: Mapping[str, str], head: str) -> None:
    assert rejected_hunks(project) == []
    assert conflict_markers(project) == []
    readme = (project / "README.md").read_text(encoding="utf-8")
    assert readme.endswith(TEAM_EDIT)
    assert RELEASE_NOTE in readme
    assert (project / NEW_FILE).read_text(
        encoding="utf-8"
    ) == "# Security policy of Orders Service\n"
    answers = yaml.safe_load((project / ANSWERS_FILE).read_text(encoding="utf-8"))
    template = Path(answers["_src_path"])
    assert git(template, env, "rev-parse", f"{answers['_commit']}^{{commit}}") == head
    assert changed_files(project, env) == sorted([ANSWERS_FILE, "README.md", NEW_FILE])


def test_copier_update_keeps_the_team_edit(tmp_path: Path, env: dict[str, str]) -> None:
    template, first, head = template_history(tmp_path, env)
    project = tmp_path / "services" / "orders-service"
    run_ok(
        [
            template_tool("copier"),
            "copy",
            "--defaults",
            "--quiet",
            "--vcs-ref",
            first,
            template,
            project,
        ],
        tmp_path,
        env,
    )
    commit_all(project, "Bake the service", env)
    append(project / "README.md", TEAM_EDIT)
    commit_all(project, "Team notes", env)
    # Local state the service's .gitignore keeps out of git, which no update may touch.
    local_state = {".env": "SECRET_KEY=local-only\n", "orders_service.db": "not a template file"}
    for name, text in local_state.items():
        (project / name).write_text(text, encoding="utf-8")

    copier_update(project, env)

    assert_release_two_arrived(project, env, head)
    for name, text in local_state.items():
        assert (project / name).read_text(encoding="utf-8") == text


def test_a_cruft_service_moves_to_copier(tmp_path: Path, env: dict[str, str]) -> None:
    """docs/updating.md's commands: answers from .cruft.json, commit, `copier update`."""
    template, first, head = template_history(tmp_path, env)
    project = cruft_create(template, tmp_path / "services", env, "--checkout", first)
    commit_all(project, "Bake the service", env)
    append(project / "README.md", TEAM_EDIT)
    commit_all(project, "Team notes", env)

    # The page's commands as printed, with the template's copier first on PATH.
    tools = str(template_tool("copier").parent)
    path_env = {**env, "PATH": os.pathsep.join([tools, env.get("PATH", "")])}
    run_ok(["sh", "-e", "-c", documented_move_to_copier()], project, path_env)

    assert not (project / CRUFT_FILE).exists()
    assert_release_two_arrived(project, env, head)
