"""Delivery files of a baked service and the published schema each must satisfy.

check-jsonschema ships these schemas, so validation works offline. No Docker engine or CI
runner is needed: a file its tool would reject fails here first.
"""

from __future__ import annotations

from pathlib import Path

# glob inside the baked project -> check-jsonschema's built-in schema name
SCHEMAS = {
    ".github/workflows/*.yml": "vendor.github-workflows",
    ".github/workflows/*.yaml": "vendor.github-workflows",
    ".github/dependabot.yml": "vendor.dependabot",
    ".gitlab-ci.yml": "vendor.gitlab-ci",
    "compose.yaml": "vendor.compose-spec",
    "compose.yml": "vendor.compose-spec",
    "docker-compose.yml": "vendor.compose-spec",
}


def files_by_schema(project: Path) -> dict[str, list[Path]]:
    """The project's delivery files grouped by the schema that applies to them."""
    grouped: dict[str, list[Path]] = {}
    for pattern, schema in SCHEMAS.items():
        grouped.setdefault(schema, []).extend(sorted(project.glob(pattern)))
    return {schema: paths for schema, paths in grouped.items() if paths}
