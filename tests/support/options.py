"""The option contexts the template is baked with: every value of every question, once.

Like cookiecutter-django's SUPPORTED_COMBINATIONS, with readable ids, but derived from
cookiecutter.json so a new question or value is covered the day it is added.
"""

from __future__ import annotations

from typing import Any

import pytest
from _pytest.mark import ParameterSet

from tests.support.template import booleans, choices

# Versions are covered by their own deep bakes (install, lint, suite) in the toolchain tests.
COVERED_ELSEWHERE = frozenset({"python_version"})


def smallest_context() -> dict[str, Any]:
    """Every yes/no question off and every choice at its last value: the least the template
    bakes, where a forgotten reference to something switched off shows up."""
    context: dict[str, Any] = dict.fromkeys(booleans(), False)
    context.update(
        {key: values[-1] for key, values in choices().items() if key not in COVERED_ELSEWHERE}
    )
    return context


def option_contexts() -> list[ParameterSet]:
    """One context per non-default answer, plus the smallest bake."""
    contexts = [
        pytest.param({key: value}, id=f"{key}={value}")
        for key, values in choices().items()
        if key not in COVERED_ELSEWHERE
        for value in values[1:]
    ]
    contexts += [
        pytest.param({key: not default}, id=f"{key}={str(not default).lower()}")
        for key, default in booleans().items()
    ]
    contexts.append(pytest.param(smallest_context(), id="smallest"))
    return contexts
