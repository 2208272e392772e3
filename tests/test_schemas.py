"""Every delivery file a bake writes (CI pipelines, compose stack) satisfies its schema."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.commands import run_ok, template_tool
from tests.support.cookies import Cookies, baked_path
from tests.support.options import option_contexts
from tests.support.schemas import files_by_schema


@pytest.mark.parametrize("context", [pytest.param({}, id="defaults"), *option_contexts()])
def test_delivery_files_satisfy_their_schemas(
    cookies: Cookies, baked_env: dict[str, str], context: dict[str, Any]
) -> None:
    project = baked_path(cookies.bake(extra_context=context))
    checker = template_tool("check-jsonschema")

    for schema, paths in files_by_schema(project).items():
        run_ok([checker, "--builtin-schema", schema, *paths], project, baked_env)


def test_default_bake_has_a_workflow_and_a_compose_file(cookies: Cookies) -> None:
    # Guards the test above against passing because its globs no longer match anything.
    schemas = files_by_schema(baked_path(cookies.bake()))

    assert {"vendor.github-workflows", "vendor.compose-spec"} <= set(schemas)
