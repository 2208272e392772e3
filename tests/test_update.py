"""`cruft update` brings a template fix into a baked service as a clean patch.

The service team has committed its own edits; the template gains a fix afterwards. The update
must apply the fix, keep the team's edits, and leave no conflict behind. `cruft update`
exits 0 even when it leaves conflicts, so the test looks for them itself.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.commands import run_ok, template_tool
from tests.support.git import commit_all, copy_worktree, isolated_git_env
from tests.support.template import DEFAULT_SLUG, SKELETON_DIR, TEMPLATE_DIR
from tests.support.tree import files, text_files

TEMPLATE_FIX = "# Added by a later template release.\n*.log\n"
TEAM_EDIT = "\n## Team notes\n\nOn call: the payments rota.\n"
CONFLICT_MARKERS = ("<<<<<<< ", ">>>>>>> ")


@pytest.fixture
def git_env(tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "home"
    home.mkdir()
    config = home / "cookiecutter.yaml"
    config.write_text(
        f"cookiecutters_dir: {home / 'cookiecutters'}\nreplay_dir: {home / 'replay'}\n",
        encoding="utf-8",
    )
    return {**isolated_git_env(home), "COOKIECUTTER_CONFIG": str(config)}


def conflicts(project: Path) -> list[str]:
    rejects = [
        str(path.relative_to(project))
        for path in files(project)
        if path.suffix in {".rej", ".orig"} and ".git" not in path.parts
    ]
    markers = [
        str(path.relative_to(project))
        for path, text in text_files(project)
        if ".git" not in path.relative_to(project).parts
        and any(line.startswith(CONFLICT_MARKERS) for line in text.splitlines())
    ]
    return rejects + markers


def test_cruft_update_applies_a_template_fix_cleanly(
    tmp_path: Path, git_env: dict[str, str]
) -> None:
    cruft = template_tool("cruft")
    template = tmp_path / "template"
    template.mkdir()
    copy_worktree(TEMPLATE_DIR, template, git_env)
    commit_all(template, "Template release 1", git_env)

    services = tmp_path / "services"
    services.mkdir()
    run_ok([cruft, "create", "--no-input", "--output-dir", services, template], services, git_env)
    project = services / DEFAULT_SLUG
    commit_all(project, "Bake the service", git_env)
    with (project / "README.md").open("a", encoding="utf-8") as readme:
        readme.write(TEAM_EDIT)
    commit_all(project, "Team notes", git_env)

    skeleton_gitignore = template / SKELETON_DIR.name / ".gitignore"
    with skeleton_gitignore.open("a", encoding="utf-8") as gitignore:
        gitignore.write(TEMPLATE_FIX)
    commit_all(template, "Template release 2: ignore log files", git_env)

    run_ok([cruft, "update", "--skip-apply-ask"], project, git_env)

    assert conflicts(project) == []
    assert (project / ".gitignore").read_text(encoding="utf-8").endswith(TEMPLATE_FIX)
    assert (project / "README.md").read_text(encoding="utf-8").endswith(TEAM_EDIT)
    run_ok([cruft, "check"], project, git_env)
