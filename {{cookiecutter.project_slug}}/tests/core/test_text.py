from __future__ import annotations

import pytest

from {{ cookiecutter.package_name }}.core.text import reject_control_characters, reject_nul


@pytest.mark.parametrize("value", ["nul\x00", "bell\x07", "esc\x1b[31m", "line\nbreak"])
def test_control_characters_are_refused_in_single_line_text(value: str) -> None:
    with pytest.raises(ValueError, match="control characters"):
        reject_control_characters(value)


def test_multi_line_text_keeps_newlines_but_not_nul() -> None:
    assert reject_nul("line one\nline two\ttabbed") == "line one\nline two\ttabbed"
    with pytest.raises(ValueError, match="NUL"):
        reject_nul("nul\x00")


@pytest.mark.parametrize("validator", [reject_control_characters, reject_nul])
def test_lone_surrogates_are_refused(validator: object) -> None:
    with pytest.raises(ValueError, match="valid Unicode"):
        validator("half a pair \ud800")  # type: ignore[operator]


def test_any_other_unicode_is_kept() -> None:
    assert reject_control_characters("Zoë 日本 🙂") == "Zoë 日本 🙂"
