"""The docs describe the service as it is: every setting, route, module and decision.

The README's `## Configuration` table has one row per setting, `.env.example` one line per
setting (secrets only as placeholders), and the `## Endpoints` table one row per route. A
setting or a route added without its documentation, or one removed while its line stays,
fails here with the name to add or remove and the file it belongs in. CLAUDE.md's layout
names every module of the package (a feature's standard layer modules are described once,
not per feature) and every ADR in docs/adr/.

Endpoint rows are written `METHOD /path`, one method per row, with the path as the OpenAPI
document writes it: parameters by name, without their converter (`/api/v1/users/{user_id}`,
not `{user_id:uuid}`).
"""

from __future__ import annotations

import importlib.util
import re
import typing
from collections import Counter
from pathlib import Path
from types import ModuleType

from fastapi.routing import APIRoute, iter_route_contexts
from pydantic import SecretStr
from pydantic.fields import FieldInfo

from {{ cookiecutter.package_name }}.features import FEATURES
from {{ cookiecutter.package_name }}.main import create_app

# The settings class the docs describe. This import is the one line naming its module.
from {{ cookiecutter.package_name }}.settings import Settings
from tests.conftest import make_settings

PROJECT_ROOT = Path(__file__).resolve().parents[1]
README = PROJECT_ROOT / "README.md"
CLAUDE = PROJECT_ROOT / "CLAUDE.md"
PACKAGE_DIR = PROJECT_ROOT / "src" / "{{ cookiecutter.package_name }}"
ADR_DIR = PROJECT_ROOT / "docs" / "adr"
# The modules every feature may have, described once in CLAUDE.md rather than per feature.
LAYER_MODULES = frozenset(
    {"router.py", "dependencies.py", "service.py", "repository.py", "models.py", "schemas.py"}
)
ENV_EXAMPLE = PROJECT_ROOT / ".env.example"
MAKE_ENV = PROJECT_ROOT / "scripts" / "make_env.py"
COMPOSE = PROJECT_ROOT / "compose.yaml"
CONFIG_MODULE = "src/{{ cookiecutter.package_name }}/settings.py (and the classes it joins)"

# A name that says "secret". Only string settings count: ACCESS_TOKEN_TTL_SECONDS and
# PASSWORD_HASH_MEMORY_KIB are numbers, not secrets, whatever their names contain.
SECRET_NAME = re.compile(r"SECRET|PASSWORD|KEY|TOKEN")
# `NAME=value` or `# NAME=value`; prose comments never start with an upper-case `NAME=`.
ENV_ENTRY = re.compile(r"^(?P<comment>#\s*)?(?P<name>[A-Z][A-Z0-9_]*)=(?P<value>.*)$")
# A placeholder's description, `<base64url key>`, stands where a value would.
DESCRIBED = re.compile(r"<[^<>]*>")
TABLE_VARIABLE = re.compile(r"^`(?P<name>[A-Z][A-Z0-9_]*)`$")
TABLE_ROUTE = re.compile(r"^`(?P<route>(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) /\S*)`$")
COMPOSE_VARIABLE = re.compile(r"\$\{(?P<name>[A-Z][A-Z0-9_]*)")


# --- what the code has ------------------------------------------------------------------------


def setting_fields() -> dict[str, FieldInfo]:
    """Every field of the settings class, inherited ones included, by environment variable."""
    prefix = str(Settings.model_config.get("env_prefix", ""))
    return {
        (field.alias or f"{prefix}{name}").upper(): field
        for name, field in Settings.model_fields.items()
    }


def annotation_mentions(annotation: object, wanted: type) -> bool:
    if annotation is wanted:
        return True
    return any(annotation_mentions(arg, wanted) for arg in typing.get_args(annotation))


def is_secret(name: str, field: FieldInfo | None) -> bool:
    if field is None:
        # Not a setting (compose.yaml's POSTGRES_PASSWORD): its name is all there is to go by.
        return bool(SECRET_NAME.search(name))
    if annotation_mentions(field.annotation, SecretStr):
        return True
    return bool(SECRET_NAME.search(name)) and annotation_mentions(field.annotation, str)


def app_routes() -> set[str]:
    """`METHOD /path` of every API route, with paths as the OpenAPI document writes them."""
    app = create_app(make_settings("sqlite+aiosqlite://"))
    documentation = {app.openapi_url, app.docs_url, app.redoc_url}
    documentation.add(app.swagger_ui_oauth2_redirect_url)
    routes: set[str] = set()
    # Included routers are kept as one entry each in `app.routes`; this walks into them.
    for context in iter_route_contexts(app.routes):
        if not isinstance(context.original_route, APIRoute) or context.path in documentation:
            continue
        # `path_format` drops converters: `{user_id:uuid}` becomes `{user_id}`.
        routes |= {f"{method} {context.path_format}" for method in context.methods or ()}
    return routes


def make_env() -> ModuleType:
    """scripts/make_env.py, which `make install` runs to turn .env.example into .env."""
    spec = importlib.util.spec_from_file_location("make_env", MAKE_ENV)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- what the docs say ------------------------------------------------------------------------


def readme_section(heading: str) -> list[str]:
    lines = README.read_text(encoding="utf-8").splitlines()
    assert f"## {heading}" in lines, f"README.md has no `## {heading}` section; restore it"
    start = lines.index(f"## {heading}") + 1
    end = next(
        (i for i in range(start, len(lines)) if lines[i].startswith("## ")),
        len(lines),
    )
    return lines[start:end]


def first_table_column(heading: str) -> list[str]:
    """The first cell of each body row of the section's first table."""
    rows: list[str] = []
    in_table = False
    for line in readme_section(heading):
        if line.startswith("|"):
            in_table = True
            rows.append(line.split("|")[1].strip())
        elif in_table:
            break
    assert rows, f"README.md's `## {heading}` section has no table; restore it"
    # The header and the `| --- |` separator row.
    return rows[2:]


def table_names(heading: str, cell: re.Pattern[str], group: str, form: str) -> list[str]:
    names: list[str] = []
    for first in first_table_column(heading):
        match = cell.match(first)
        assert match, (
            f"README.md `## {heading}`: the row starting {first!r} should start with {form}"
        )
        names.append(match[group])
    return names


def readme_variables() -> list[str]:
    return table_names("Configuration", TABLE_VARIABLE, "name", "`VARIABLE_NAME`")


def readme_routes() -> list[str]:
    return table_names("Endpoints", TABLE_ROUTE, "route", "`METHOD /path`")


def env_entries() -> list[tuple[str, str, bool]]:
    """(name, value, commented) of each `NAME=value` or `# NAME=value` line of .env.example."""
    entries: list[tuple[str, str, bool]] = []
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        match = ENV_ENTRY.match(line.strip())
        if match:
            entries.append((match["name"], match["value"].strip(), bool(match["comment"])))
    return entries


def repeated(names: list[str]) -> list[str]:
    return sorted(name for name, count in Counter(names).items() if count > 1)


# --- the README's configuration table ---------------------------------------------------------


def test_every_setting_has_a_row_in_the_readme_configuration_table() -> None:
    missing = sorted(set(setting_fields()) - set(readme_variables()))

    assert missing == [], (
        f"README.md `## Configuration` lacks a row for {', '.join(missing)}: add one each, "
        "the name in backticks in the first column, then its default and its meaning, as "
        f"the field in {CONFIG_MODULE} defines them"
    )


def test_the_readme_configuration_table_names_only_settings() -> None:
    extra = sorted(set(readme_variables()) - set(setting_fields()))

    assert extra == [], (
        f"README.md `## Configuration` has rows for {', '.join(extra)}, which "
        f"{CONFIG_MODULE} does not read: remove them, or add the settings"
    )


def test_the_readme_configuration_table_names_each_setting_once() -> None:
    names = readme_variables()

    assert repeated(names) == [], (
        f"README.md `## Configuration` lists {', '.join(repeated(names))} more than once: "
        "keep one row each"
    )


# --- .env.example -----------------------------------------------------------------------------


def test_every_setting_is_in_env_example() -> None:
    missing = sorted(set(setting_fields()) - {name for name, _, _ in env_entries()})

    assert missing == [], (
        f".env.example lacks {', '.join(missing)}: add `# NAME=default` for each (secrets as "
        "`# NAME=<what it holds>`), next to the settings it belongs with"
    )


def test_env_example_names_only_what_the_service_or_compose_reads() -> None:
    # compose.yaml interpolates its own variables from .env (POSTGRES_PASSWORD).
    known = set(setting_fields())
    if COMPOSE.exists():
        known |= set(COMPOSE_VARIABLE.findall(COMPOSE.read_text(encoding="utf-8")))
    extra = sorted({name for name, _, _ in env_entries()} - known)

    assert extra == [], (
        f".env.example has {', '.join(extra)}, which neither {CONFIG_MODULE} nor compose.yaml "
        "reads: remove the lines, or add the settings"
    )


def test_env_example_holds_no_secret_value() -> None:
    tool = make_env()
    placeholder = str(tool.PLACEHOLDER).split("=", 1)[1]
    fields = setting_fields()
    real: list[str] = []
    for name, value, commented in env_entries():
        if not is_secret(name, fields.get(name)):
            continue
        described = DESCRIBED.sub("", value).strip(" \"'[],") == ""
        if value != placeholder and not (commented and described):
            real.append(name)

    assert real == [], (
        f".env.example gives {', '.join(real)} a value: a secret is either "
        f"`NAME={placeholder}`, which `make install` replaces (scripts/make_env.py), or "
        "commented out with a description, `# NAME=<what it holds>`"
    )


def test_make_install_replaces_every_placeholder_left_active() -> None:
    example = ENV_EXAMPLE.read_text(encoding="utf-8")
    tool = make_env()
    placeholder = str(tool.PLACEHOLDER).split("=", 1)[1]
    rendered = str(tool.render(example))
    left = [
        match["name"]
        for line in rendered.splitlines()
        if (match := ENV_ENTRY.match(line.strip()))
        and not match["comment"]
        and match["value"].strip() == placeholder
    ]

    assert left == [], (
        f".env.example sets {', '.join(left)} to {placeholder!r}, which scripts/make_env.py does "
        "not replace, so .env would keep the placeholder: teach make_env.py to generate it, "
        "or comment the line out"
    )


# --- the README's endpoints table -------------------------------------------------------------


def test_every_route_has_a_row_in_the_readme_endpoints_table() -> None:
    missing = sorted(app_routes() - set(readme_routes()))

    assert missing == [], (
        f"README.md `## Endpoints` lacks a row for {', '.join(missing)}: add one each, "
        "`METHOD /path` in backticks in the first column (the path as /openapi.json writes "
        "it), then who may call it and what it does"
    )


def test_the_readme_endpoints_table_names_only_routes() -> None:
    extra = sorted(set(readme_routes()) - app_routes())

    assert extra == [], (
        f"README.md `## Endpoints` has rows for {', '.join(extra)}, which the app does not "
        "serve: remove them, or fix the method or path (parameters as `{name}`, no converter)"
    )


def test_the_readme_endpoints_table_names_each_route_once() -> None:
    routes = readme_routes()

    assert repeated(routes) == [], (
        f"README.md `## Endpoints` lists {', '.join(repeated(routes))} more than once: "
        "keep one row each"
    )


# --- CLAUDE.md's layout -----------------------------------------------------------------------


def claude_section(heading: str) -> list[str]:
    lines = CLAUDE.read_text(encoding="utf-8").splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith(f"## {heading}")]
    assert starts, f"CLAUDE.md has no `## {heading}` section; restore it"
    start = starts[0] + 1
    end = next((i for i in range(start, len(lines)) if lines[i].startswith("## ")), len(lines))
    return lines[start:end]


def layout_paths() -> list[str]:
    """The package paths CLAUDE.md's layout tree names, relative to the package folder."""
    section = claude_section("Layout")
    root = "src/{{ cookiecutter.package_name }}/"
    tree = f"CLAUDE.md `## Layout` should open with a code block whose tree starts at `{root}`"
    assert "```" in section, tree
    assert root in section, tree
    start = section.index(root) + 1
    paths: list[str] = []
    parents: list[tuple[int, str]] = []  # (indent, folder path) of the enclosing folders
    for line in section[start:]:
        indent = len(line) - len(line.lstrip())
        if not line.strip() or line.startswith("```") or indent == 0:
            break  # the end of the package's part of the tree
        name = line.split()[0]
        while parents and parents[-1][0] >= indent:
            parents.pop()
        path = (parents[-1][1] if parents else "") + name
        paths.append(path.rstrip("/"))
        if name.endswith("/"):
            parents.append((indent, path))
    return paths


def package_paths() -> set[str]:
    """Every module and folder of the package that the layout must name."""
    paths: set[str] = set()
    for module in PACKAGE_DIR.rglob("*.py"):
        relative = module.relative_to(PACKAGE_DIR)
        folder = relative.parts[0] if len(relative.parts) > 1 else None
        paths |= {"/".join(relative.parts[:depth]) for depth in range(1, len(relative.parts))}
        if relative.name == "__init__.py":
            continue
        if folder in FEATURES and len(relative.parts) == 2 and relative.name in LAYER_MODULES:
            continue  # described once, in the block on the layers inside a feature
        paths.add(relative.as_posix())
    return paths


def test_claude_md_layout_names_every_module() -> None:
    missing = sorted(package_paths() - set(layout_paths()))

    assert missing == [], (
        f"CLAUDE.md `## Layout` does not name {', '.join(missing)}: add a line each to the "
        "tree, under its folder, with what the module is for"
    )


def test_claude_md_layout_names_only_what_exists() -> None:
    gone = sorted(set(layout_paths()) - package_paths())

    assert gone == [], (
        f"CLAUDE.md `## Layout` names {', '.join(gone)}, which src/ does not have: remove "
        "the lines, or fix the path"
    )


def test_every_decision_record_is_named_in_claude_md_and_the_readme() -> None:
    claude = CLAUDE.read_text(encoding="utf-8")
    readme = "\n".join(readme_section("Decisions"))
    records = sorted(path.name for path in ADR_DIR.glob("*.md"))
    unnamed = [name for name in records if f"docs/adr/{name}" not in claude]
    unlisted = [name for name in records if f"docs/adr/{name}" not in readme]

    assert records, "docs/adr/ holds no decision record"
    assert unnamed == [], (
        f"CLAUDE.md does not mention {', '.join(unnamed)}: name each under `## Where to look`"
    )
    assert unlisted == [], (
        f"README.md `## Decisions` does not link {', '.join(unlisted)}: add a link each"
    )
