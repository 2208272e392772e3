"""docs/api-changes-accepted.txt: one accepted break per line, each with its reason."""

from __future__ import annotations

import pytest

from {{ cookiecutter.package_name }}.openapi.accepted import AcceptedChangesError, parse_accepted


def test_lines_name_breaks_with_their_reasons() -> None:
    text = (
        "# Breaking changes made on purpose.\n"
        "\n"
        "removed-path: /api/v1/legacy  # sunset 2026-06-30, the two clients moved\n"
        "removed-property: GET /api/v1/x response 200 application/json: a.b  #  unused\n"
    )

    assert parse_accepted(text) == {
        "removed-path: /api/v1/legacy": "sunset 2026-06-30, the two clients moved",
        "removed-property: GET /api/v1/x response 200 application/json: a.b": "unused",
    }


def test_an_empty_file_accepts_nothing() -> None:
    assert parse_accepted("") == {}
    assert parse_accepted("# only comments\n\n") == {}


@pytest.mark.parametrize("line", ["removed-path: /api/v1/legacy", "removed-path: /x  #   "])
def test_a_line_without_a_reason_is_refused_with_its_number(line: str) -> None:
    with pytest.raises(AcceptedChangesError, match=r"api-changes-accepted\.txt:2: say why"):
        parse_accepted(f"# header\n{line}\n")
