"""Bad answers stop the bake with the hook's message and leave nothing behind."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cookiecutter.exceptions import FailedHookException
from cookiecutter.main import cookiecutter

from tests.support.cookies import Cookies, assert_refused_by_the_hook
from tests.support.template import TEMPLATE_DIR, default_answers
from tests.support.tree import files


@pytest.mark.parametrize(
    ("extra_context", "message"),
    [
        pytest.param(
            {"project_slug": "Orders Service!"},
            "error: project_slug: 'Orders Service!' is not valid",
            id="invalid-slug",
        ),
        pytest.param(
            {"package_name": "class"},
            "error: package_name: 'class' is a Python keyword",
            id="keyword-package",
        ),
        pytest.param(
            {"package_name": "logging"},
            "error: package_name: 'logging' would shadow the standard library",
            id="stdlib-package",
        ),
        pytest.param(
            {"author_email": "platform-at-example.com"},
            "error: author_email: 'platform-at-example.com' is not a valid email",
            id="bad-email",
        ),
    ],
)
def test_bad_answer_fails_the_bake(
    cookies: Cookies,
    tmp_path: Path,
    capfd: pytest.CaptureFixture[str],
    extra_context: dict[str, str],
    message: str,
) -> None:
    result = cookies.bake(extra_context=extra_context)

    assert_refused_by_the_hook(result, capfd.readouterr().err, message, tmp_path / "cookies")


def test_unoffered_python_version_is_refused_before_anything_is_written(
    cookies: Cookies, tmp_path: Path
) -> None:
    # A choice answer outside the offered list never reaches the hook: cookiecutter refuses it.
    result = cookies.bake(extra_context={"python_version": "3.9"})

    assert result.exit_code != 0
    assert isinstance(result.exception, ValueError)
    assert "3.9 provided for choice variable python_version" in str(result.exception)
    assert list(files(tmp_path / "cookies")) == []


def test_replayed_unsupported_python_version_fails_in_the_hook(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    # A replay file (or a hand-edited stored context) skips cookiecutter's choice check, so
    # the hook is the last line of defence for python_version.
    answers = {**default_answers(), "python_version": "3.9"}
    replay_file = tmp_path / "replay" / "backend-template.json"
    replay_file.parent.mkdir()
    replay_file.write_text(json.dumps({"cookiecutter": answers}), encoding="utf-8")
    config_file = tmp_path / "config.yaml"
    config_file.write_text(
        f"cookiecutters_dir: {tmp_path / 'cookiecutters'}\nreplay_dir: {tmp_path / 'replay'}\n",
        encoding="utf-8",
    )
    output = tmp_path / "out"

    with pytest.raises(FailedHookException):
        cookiecutter(
            str(TEMPLATE_DIR),
            replay=str(replay_file),
            output_dir=str(output),
            config_file=str(config_file),
        )

    assert "error: python_version: '3.9' is not supported" in capfd.readouterr().err
    assert list(files(output)) == []
