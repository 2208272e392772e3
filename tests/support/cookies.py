"""Types for pytest-cookies, which ships none, so the tests stay checked by mypy --strict."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

from cookiecutter.exceptions import FailedHookException

from tests.support.tree import files


class BakeResult(Protocol):
    exit_code: int | str | None
    exception: BaseException | None
    context: dict[str, Any] | None

    @property
    def project_path(self) -> Path | None: ...


class Cookies(Protocol):
    def bake(
        self, extra_context: Mapping[str, object] | None = None, template: str | None = None
    ) -> BakeResult: ...


def baked_path(result: BakeResult) -> Path:
    """The project folder of a bake that must have succeeded, or a failure saying why not."""
    assert result.exception is None, f"the bake failed: {result.exception!r}"
    assert result.exit_code == 0
    assert result.project_path is not None
    return result.project_path


def assert_refused_by_the_hook(result: BakeResult, stderr: str, message: str, out: Path) -> None:
    """The pre-gen hook stopped the bake with `message`, and nothing was written under `out`."""
    assert result.exit_code != 0
    assert isinstance(result.exception, FailedHookException)
    assert message in stderr
    assert "The service was not generated" in stderr
    # pytest-cookies bakes into <tmp_path>/cookies/bakeNN.
    assert list(files(out)) == []
