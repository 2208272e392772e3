"""Types for pytest-cookies, which ships none, so the tests stay checked by mypy --strict."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol


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
