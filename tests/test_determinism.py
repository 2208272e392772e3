"""The same answers bake the same bytes, which is what lets `cruft update` produce clean patches."""

from __future__ import annotations

import pytest

from tests.support.cookies import Cookies, baked_path
from tests.support.options import smallest_context
from tests.support.tree import snapshot

CUSTOM_ANSWERS = {
    "project_name": "Billing API",
    "description": "Invoices and payments.",
    "author_name": "Payments Team",
    "author_email": "payments@example.com",
    "python_version": "3.12",
}


@pytest.mark.parametrize(
    "answers",
    [
        pytest.param({}, id="defaults"),
        pytest.param(CUSTOM_ANSWERS, id="custom"),
        pytest.param(smallest_context(), id="smallest"),
    ],
)
def test_same_answers_bake_byte_identical_trees(cookies: Cookies, answers: dict[str, str]) -> None:
    # The two bakes land in different folders, so a leaked absolute path shows up here too.
    first = snapshot(baked_path(cookies.bake(extra_context=answers)))
    second = snapshot(baked_path(cookies.bake(extra_context=answers)))

    assert sorted(first) == sorted(second)
    assert [path for path in first if first[path] != second[path]] == []
