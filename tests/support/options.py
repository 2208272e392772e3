"""The answer sets the template is baked with: the option matrix and the deep contexts.

MATRIX is written out so a reader sees what gets baked. Its contexts hold every value of every
question, and every pair of values of any two questions (a pairwise covering array, 14 bakes
instead of the 2,304 full combinations), except the pairs the pre-gen hook refuses.
`uncovered_pairs()` proves it; a new question or value fails that test until a context covers
it. Each context lists only its non-default answers.

DEEP_CONTEXTS are the few bakes that also install and run their own `make check`.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from typing import Any

import pytest
from _pytest.mark import ParameterSet

from tests.support.hooks import pre_gen_hook
from tests.support.template import booleans, choices

Context = dict[str, Any]

MATRIX: list[Context] = [
    {},
    {
        "python_version": "3.11",
        "database": "sqlite",
        "include_kubernetes": False,
        "jwt_algorithm": "HS256",
        "include_example_resource": False,
        "ci_provider": "none",
        "license": "Proprietary",
        "include_backstage": False,
        "include_background_jobs": False,
    },
    {
        "python_version": "3.12",
        "auth_provider": "oidc",
        "include_example_resource": False,
        "ci_provider": "gitlab",
        "license": "Apache-2.0",
        "include_backstage": False,
        "include_background_jobs": False,
        "include_graphql": True,
    },
    {
        "python_version": "3.12",
        "database": "sqlite",
        "include_kubernetes": False,
        "jwt_algorithm": "HS256",
        "ci_provider": "gitlab",
        "license": "BSD-3-Clause",
        "include_graphql": True,
    },
    {
        "python_version": "3.11",
        "auth_provider": "oidc",
        "ci_provider": "none",
        "license": "BSD-3-Clause",
        "include_graphql": True,
    },
    {
        "database": "sqlite",
        "include_kubernetes": False,
        "jwt_algorithm": "HS256",
        "license": "Apache-2.0",
        "include_backstage": False,
    },
    {
        "jwt_algorithm": "HS256",
        "auth_provider": "oidc",
        "include_example_resource": False,
        "license": "Proprietary",
        "include_graphql": True,
    },
    {
        "python_version": "3.12",
        "database": "sqlite",
        "include_kubernetes": False,
        "auth_provider": "oidc",
        "include_example_resource": False,
        "ci_provider": "none",
        "include_backstage": False,
    },
    {"include_kubernetes": False, "ci_provider": "gitlab", "license": "Proprietary"},
    {
        "database": "mysql",
        "include_example_resource": False,
        "license": "BSD-3-Clause",
        "include_backstage": False,
        "include_background_jobs": False,
    },
    {
        "python_version": "3.11",
        "database": "mysql",
        "include_kubernetes": False,
        "jwt_algorithm": "HS256",
        "ci_provider": "gitlab",
        "include_background_jobs": False,
        "include_graphql": True,
    },
    {"database": "mysql", "auth_provider": "oidc", "ci_provider": "none", "license": "Apache-2.0"},
    {"python_version": "3.12", "database": "mysql", "license": "Proprietary"},
    {"python_version": "3.11", "license": "Apache-2.0"},
]


def defaults() -> Context:
    """The answer `--no-input` gives to every choice and yes/no question."""
    return {
        **{key: values[0] for key, values in choices().items()},
        **booleans(),
    }


def smallest_context() -> Context:
    """Every yes/no question off and every choice at its last value: the least the template
    bakes, where a forgotten reference to something switched off shows up."""
    return {
        **{key: values[-1] for key, values in choices().items()},
        **dict.fromkeys(booleans(), False),
    }


def _label(key: str, value: object) -> str:
    if isinstance(value, bool):
        name = key.removeprefix("include_").removesuffix("_resource").replace("_", "-")
        return name if value else f"no-{name}"
    if key == "python_version":
        return f"py{value}"
    if key == "ci_provider":
        return "no-ci" if value == "none" else str(value)
    return str(value)


def context_id(context: Mapping[str, Any]) -> str:
    """A readable test id: the non-default answers, short, in question order."""
    if dict(context) == smallest_context():
        return "smallest"
    return "+".join(_label(key, value) for key, value in context.items()) or "defaults"


def matrix_contexts() -> list[ParameterSet]:
    return [pytest.param(context, id=context_id(context)) for context in MATRIX]


def _value_pairs(context: Mapping[str, Any]) -> Iterator[tuple[tuple[str, Any], ...]]:
    answers = {**defaults(), **context}
    for first, second in itertools.combinations(sorted(answers), 2):
        yield (first, answers[first]), (second, answers[second])


def uncovered_pairs() -> list[str]:
    """Pairs of answers the hook accepts that no MATRIX context bakes."""
    questions: dict[str, list[object]] = {key: list(values) for key, values in choices().items()}
    questions.update({key: [True, False] for key in booleans()})
    covered = {pair for context in MATRIX for pair in _value_pairs(context)}
    refused = pre_gen_hook().combination_problems
    return [
        f"{first}={first_value} with {second}={second_value}"
        for first, second in itertools.combinations(sorted(questions), 2)
        for first_value in questions[first]
        for second_value in questions[second]
        if not refused({first: first_value, second: second_value})
        and ((first, first_value), (second, second_value)) not in covered
    ]


# The bakes that install and run their own `make check` (ruff, mypy, import contracts and the
# whole suite), the costliest tests there are, so each one counts: between them they use every
# offered Python and switch off every option. Those whose production database is PostgreSQL or
# MySQL run their suite against the real server (MariaDB for MySQL); a database=sqlite bake has
# no server driver at all, so its suite runs on SQLite, which is its production database.
DEEP_CONTEXTS: list[ParameterSet] = [
    pytest.param({}, id="defaults-py3.13"),
    pytest.param(
        {"database": "sqlite", "include_kubernetes": False, "python_version": "3.12"},
        id="sqlite-production-py3.12",
    ),
    pytest.param({"database": "mysql", "include_graphql": True}, id="mysql-graphql-py3.13"),
    pytest.param(
        {"include_example_resource": False, "include_graphql": True, "python_version": "3.11"},
        id="no-example-resource-graphql-py3.11",
    ),
    pytest.param(
        {
            "jwt_algorithm": "HS256",
            "auth_provider": "oidc",
            "ci_provider": "none",
            "include_kubernetes": False,
            "include_backstage": False,
            "license": "Proprietary",
            "include_background_jobs": False,
            "python_version": "3.12",
        },
        id="hs256-no-ci-no-extras-py3.12",
    ),
]
