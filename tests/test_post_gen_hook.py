"""The post-generation hook: it only tells the user what to do next."""

from __future__ import annotations

from pathlib import Path

from tests.support.hooks import post_gen_hook

ANSWERS: dict[str, object] = {
    "project_name": "Billing API",
    "project_slug": "billing-api",
    "package_name": "billing_api",
}


def test_next_steps_lead_into_the_baked_project() -> None:
    text = post_gen_hook().next_steps(ANSWERS)

    assert text.startswith("Generated Billing API in ./billing-api")
    assert "cd billing-api" in text
    for command in ("make run", "make test"):
        assert command in text


def test_next_steps_give_make_admin_the_email_it_needs() -> None:
    # `make admin` alone stops with "say whose account"; the suggested line must run as shown.
    lines = post_gen_hook().next_steps(ANSWERS).splitlines()

    admin = [line.split("#")[0].strip() for line in lines if "make admin" in line]
    assert admin == ["make admin EMAIL=you@example.com"]


def test_next_steps_name_no_machine_specific_path() -> None:
    text = post_gen_hook().next_steps(ANSWERS)

    assert not any(word.startswith(("/", "~")) for word in text.split())


def test_next_steps_are_the_same_every_time() -> None:
    hook = post_gen_hook()

    assert hook.next_steps(ANSWERS) == hook.next_steps(dict(ANSWERS))


def test_only_folders_without_any_file_are_removed(tmp_path: Path) -> None:
    # Options switch files off through empty names; the folders they leave empty go too.
    (tmp_path / "src" / "notes").mkdir(parents=True)
    (tmp_path / "src" / "core").mkdir()
    (tmp_path / "src" / "core" / "db.py").write_text("", encoding="utf-8")
    (tmp_path / "docs" / "adr" / "empty").mkdir(parents=True)

    removed = post_gen_hook().remove_empty_folders(tmp_path)

    assert sorted(path.relative_to(tmp_path).as_posix() for path in removed) == [
        "docs",
        "docs/adr",
        "docs/adr/empty",
        "src/notes",
    ]
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == [
        "src",
        "src/core",
        "src/core/db.py",
    ]
