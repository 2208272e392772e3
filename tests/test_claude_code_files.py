"""The Claude Code files a baked service ships: project settings and the add-feature command.

Both are read the way Claude Code reads them. `.claude/settings.json` must be JSON of the
documented shape, its permission rules in the documented syntax (`Tool(specifier)`, `*` as a
wildcard, a space before a trailing `*` for a word boundary; the `:*` suffix is deprecated),
each naming a target the baked Makefile has (https://code.claude.com/docs/en/permissions,
https://json.schemastore.org/claude-code-settings.json). `.claude/commands/add-feature.md`
is a custom command: Markdown after optional YAML frontmatter whose keys Claude Code documents,
with `$ARGUMENTS` standing for what follows `/add-feature`
(https://code.claude.com/docs/en/skills). Its recipe copies the example resource, so it exists
only when the example resource does.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from tests.support.cookies import Cookies, baked_path
from tests.support.options import smallest_context
from tests.support.rendering import lines_matching
from tests.support.template import DEFAULT_PACKAGE

SETTINGS_FILE = Path(".claude/settings.json")
COMMAND_FILE = Path(".claude/commands/add-feature.md")
SETTINGS_SCHEMA_URL = "https://json.schemastore.org/claude-code-settings.json"

# SchemaStore's `permissionRule` (claude-code-settings.json, `$defs`): a tool name, optionally
# followed by a specifier in parentheses, or an MCP tool.
PERMISSION_RULE = (
    r"^((Agent|Bash|Cd|Edit|ExitPlanMode|Glob|Grep|KillShell|LSP|Monitor|MultiEdit"
    r"|NotebookEdit|PowerShell|Read|Skill|TaskCreate|TaskGet|TaskList|TaskOutput|TaskStop"
    r"|TaskUpdate|TodoWrite|ToolSearch|WebFetch|WebSearch|Write)(\([^)]+\))?|mcp__.*)$"
)
# The part of that schema these files use. Typos inside `permissions` are errors there
# (`additionalProperties: false`); the top level accepts keys it does not know.
_RULES = {"type": "array", "items": {"type": "string", "pattern": PERMISSION_RULE}}
SETTINGS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "$schema": {"type": "string"},
        "permissions": {
            "type": "object",
            "properties": {
                "allow": {**_RULES, "uniqueItems": True},
                "ask": {**_RULES, "uniqueItems": True},
                "deny": {**_RULES, "uniqueItems": True},
                "defaultMode": {"type": "string"},
                "additionalDirectories": {"type": "array", "items": {"type": "string"}},
                "disableBypassPermissionsMode": {"enum": ["disable"]},
                "disableAutoMode": {"enum": ["disable"]},
            },
            "additionalProperties": False,
        },
    },
}
BASH_RULE = re.compile(r"^Bash\((?P<command>[^)]+)\)$")
MAKE_COMMAND = re.compile(r"^make (?P<goal>\S+)")

# The frontmatter keys Claude Code documents for a command or skill file.
DOCUMENTED_COMMAND_KEYS = frozenset(
    {
        "name",
        "description",
        "when_to_use",
        "argument-hint",
        "arguments",
        "disable-model-invocation",
        "user-invocable",
        "allowed-tools",
        "model",
        "effort",
        "context",
        "agent",
        "hooks",
        "paths",
        "shell",
    }
)
# Targets the team's settings leave to a prompt, each for its reason. A new Makefile target
# fails test_every_target_is_approved_or_left_to_a_prompt until it is allowed or listed here.
LEFT_TO_A_PROMPT = {
    "run": "serves until stopped, so the command never returns; it also migrates",
    "dev": "the same, with auto-reload",
    "worker": "runs background jobs until stopped, against whatever BROKER_URL names",
    "scheduler": "asks for periodic jobs until stopped",
    "migrate": "writes to whatever database DATABASE_URL names, maybe a shared one",
    "admin": "creates an administrator account and asks for its password",
    "bench": "a load test of several minutes that needs PostgreSQL and wrk",
    "bench-jobs": "a load test of the job worker against PostgreSQL and the broker it names",
    "clean": "deletes .venv, .tools and the development database",
}

FRONTMATTER_FENCE = "---\n"
# A path the command names: under one of the project's folders, or a top-level document.
MENTIONED_PATH = re.compile(
    r"(?<![\w./<>-])(?:(?:src|tests|migrations|docs|scripts)/[\w./<>-]*|(?:CLAUDE|README)\.md)"
)
# The placeholder the recipe uses for what the user creates (`src/<pkg>/<feature>/`).
CREATED = "<feature>"
# `$1`, `$0`: positional arguments counted from 1 in the first command docs, from 0 now.
POSITIONAL_ARGUMENT = re.compile(r"\$\d")


# --- reading the files ------------------------------------------------------------------------


def read_settings(project: Path) -> dict[str, Any]:
    settings: dict[str, Any] = json.loads((project / SETTINGS_FILE).read_text(encoding="utf-8"))
    return settings


def permission_rules(settings: dict[str, Any]) -> dict[str, list[str]]:
    """Each kind of rule, in the order Claude Code evaluates them: deny, ask, allow."""
    permissions: dict[str, list[str]] = settings.get("permissions", {})
    return {kind: list(permissions.get(kind, [])) for kind in ("deny", "ask", "allow")}


def make_targets(project: Path) -> set[str]:
    """The targets the baked Makefile both declares .PHONY and defines as a rule."""
    makefile = (project / "Makefile").read_text(encoding="utf-8")
    phony = {
        name
        for line in makefile.splitlines()
        if line.startswith(".PHONY:")
        for name in line.removeprefix(".PHONY:").split()
    }
    defined = set(re.findall(r"^([a-z][a-z-]*):(?!=)", makefile, flags=re.MULTILINE))
    return phony & defined


def bash_command(rule: str) -> str:
    """The command line inside a `Bash(...)` rule."""
    found = BASH_RULE.match(rule)
    assert found, f"{rule!r} is not a Bash(...) rule"
    return found["command"]


def make_goal(command: str) -> str:
    """The first goal a `make ...` command line names, wildcards taken out."""
    found = MAKE_COMMAND.match(command)
    assert found, f"{command!r} is not a make command"
    return found["goal"].replace("*", "")


def split_frontmatter(text: str) -> tuple[dict[str, Any], str]:
    """The YAML between the opening and closing `---` lines, and the Markdown after them."""
    assert text.startswith(FRONTMATTER_FENCE), "the command file must open with a --- line"
    end = text.find("\n" + FRONTMATTER_FENCE, len(FRONTMATTER_FENCE) - 1)
    assert end != -1, "the command file's frontmatter has no closing --- line"
    metadata = yaml.safe_load(text[len(FRONTMATTER_FENCE) : end + 1])
    assert isinstance(metadata, dict), "the command frontmatter must be a YAML mapping"
    return metadata, text[end + 1 + len(FRONTMATTER_FENCE) :]


def read_command(project: Path) -> tuple[dict[str, Any], str]:
    return split_frontmatter((project / COMMAND_FILE).read_text(encoding="utf-8"))


def mentioned_paths(body: str) -> set[str]:
    return {match.rstrip("./") or match for match in MENTIONED_PATH.findall(body)}


# --- the documented matching, to show what the rules decide ------------------------------------


def rule_matches(specifier: str, command: str) -> bool:
    """Claude Code's Bash rule matching as documented: no `*` is an exact match; `*` matches any
    run of characters; a lone trailing ` *` is a word boundary, matching the bare command too."""
    if "*" not in specifier:
        return command == specifier
    if specifier.endswith(" *") and specifier.count("*") == 1:
        prefix = specifier.removesuffix(" *")
        return command == prefix or command.startswith(prefix + " ")
    pattern = ".*".join(re.escape(part) for part in specifier.split("*"))
    return re.fullmatch(pattern, command, flags=re.DOTALL) is not None


def decision(settings: dict[str, Any], command: str) -> str | None:
    """deny, then ask, then allow: the first kind with a matching rule decides; None prompts."""
    for kind, rules in permission_rules(settings).items():
        for rule in rules:
            found = BASH_RULE.match(rule)
            if found and rule_matches(found["command"], command):
                return kind
    return None


# --- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def without_example(cookies_session: Cookies) -> Path:
    return baked_path(cookies_session.bake(extra_context={"include_example_resource": False}))


@pytest.fixture(scope="module")
def smallest_project(cookies_session: Cookies) -> Path:
    return baked_path(cookies_session.bake(extra_context=smallest_context()))


@pytest.fixture(params=["default", "without-example", "smallest"])
def any_project(request: pytest.FixtureRequest) -> Path:
    fixture = {
        "default": "default_project",
        "without-example": "without_example",
        "smallest": "smallest_project",
    }[request.param]
    project: Path = request.getfixturevalue(fixture)
    return project


# --- settings.json ----------------------------------------------------------------------------


def test_settings_are_json_of_the_documented_shape(any_project: Path) -> None:
    settings = read_settings(any_project)

    assert settings["$schema"] == SETTINGS_SCHEMA_URL
    jsonschema.Draft7Validator(SETTINGS_SCHEMA).validate(settings)
    assert permission_rules(settings)["allow"], "the settings approve no command"


def test_every_rule_runs_a_target_of_the_bakes_makefile(any_project: Path) -> None:
    targets = make_targets(any_project)
    for rules in permission_rules(read_settings(any_project)).values():
        for rule in rules:
            command = bash_command(rule)
            # Deprecated in the permissions docs; ` *` is the current spelling.
            assert not command.endswith(":*"), f"{rule!r}: write `{command[:-2]} *`"
            assert make_goal(command) in targets, f"{rule!r}: no such target in the Makefile"


def test_every_target_is_approved_or_left_to_a_prompt(any_project: Path) -> None:
    rules = permission_rules(read_settings(any_project))
    allowed = {make_goal(bash_command(rule)) for rule in rules["allow"]}

    assert allowed.isdisjoint(LEFT_TO_A_PROMPT), "a target left to a prompt is allowed"
    assert make_targets(any_project) - allowed - set(LEFT_TO_A_PROMPT) == set()


@pytest.mark.parametrize(
    "command",
    [
        "make help",
        "make install",
        "make lint",
        "make format",
        "make check",
        "make check PYTEST_ARGS=-x",
        "make test",
        'make test PYTEST_ARGS="-k users -x"',
        "make test PYTEST_WORKERS=0",
        "make test-fast",
        'make test-fast PYTEST_ARGS="-k notes"',
        'make revision MESSAGE="add orders"',
    ],
)
def test_the_daily_commands_run_without_a_prompt(default_project: Path, command: str) -> None:
    assert decision(read_settings(default_project), command) == "allow"


@pytest.mark.parametrize(
    "command",
    ["make run", "make dev", "make migrate", "make admin EMAIL=you@example.com", "make bench"],
)
def test_the_commands_with_side_effects_prompt(default_project: Path, command: str) -> None:
    assert decision(read_settings(default_project), command) is None


@pytest.mark.parametrize(
    "command", ["make clean", "make test clean", "make check clean", "make format clean"]
)
def test_clean_always_asks_even_behind_an_allowed_target(
    default_project: Path, command: str
) -> None:
    # `make test clean` runs both goals: the wildcard that lets arguments through would let
    # `clean` through too, so an ask rule (checked before allow) catches it wherever it is.
    assert decision(read_settings(default_project), command) == "ask"


def test_a_word_boundary_keeps_one_target_from_approving_another() -> None:
    assert rule_matches("make test *", "make test")
    assert rule_matches("make test *", "make test PYTEST_ARGS=-x")
    assert not rule_matches("make test *", "make test-fast")
    assert not rule_matches("make test", "make test PYTEST_ARGS=-x")
    assert rule_matches("make *clean*", "make test clean")


# --- .claude/commands/add-feature.md ----------------------------------------------------------


def test_command_frontmatter_uses_documented_keys(default_project: Path) -> None:
    metadata, body = read_command(default_project)

    assert set(metadata) <= DOCUMENTED_COMMAND_KEYS, set(metadata) - DOCUMENTED_COMMAND_KEYS
    assert isinstance(metadata["description"], str)
    assert metadata["description"].strip()
    assert isinstance(metadata["argument-hint"], str)
    assert metadata.get("disable-model-invocation") in (None, True, False)
    assert body.strip(), "the command has no instructions after its frontmatter"


def test_command_pre_approves_only_valid_rules_for_real_targets(default_project: Path) -> None:
    metadata, _ = read_command(default_project)
    rules = metadata["allowed-tools"]
    assert isinstance(rules, list)
    targets = make_targets(default_project)

    for rule in rules:
        assert isinstance(rule, str)
        assert re.fullmatch(PERMISSION_RULE, rule), f"{rule!r} is not a permission rule"
        command = bash_command(rule)
        assert not command.endswith(":*"), f"{rule!r}: write `{command[:-2]} *`"
        if command.startswith("make "):
            assert make_goal(command) in targets, f"{rule!r}: no such target in the Makefile"
            assert make_goal(command) not in LEFT_TO_A_PROMPT, f"{rule!r}: {command} prompts"
        else:
            # A copy of the example resource: its source must be there to copy.
            source = command.split()[2]
            assert command.startswith("cp -r "), f"{rule!r}: only the recipe's copies"
            assert (default_project / source).is_dir(), f"{rule!r}: {source} does not exist"


def test_command_reads_its_arguments_the_way_every_version_does(default_project: Path) -> None:
    _, body = read_command(default_project)

    assert "$ARGUMENTS" in body
    assert POSITIONAL_ARGUMENT.findall(body) == []


def test_command_follows_the_recipe_in_claude_md(default_project: Path) -> None:
    _, body = read_command(default_project)
    claude_md = (default_project / "CLAUDE.md").read_text(encoding="utf-8")

    section = re.search(r'"(Add a feature[^"]*)"', body)
    assert section, "the command should point at CLAUDE.md's add-a-feature section by name"
    assert f"\n## {section[1]}\n" in claude_md, f"CLAUDE.md has no section {section[1]!r}"
    assert COMMAND_FILE.as_posix() in claude_md, "CLAUDE.md should name the command"
    for step in ("cp -r src/", "cp -r tests/notes", "features.py", "make revision"):
        assert step in body, f"the command skips {step!r}"


def test_command_runs_only_targets_the_makefile_has(default_project: Path) -> None:
    _, body = read_command(default_project)
    goals = set(re.findall(r"`make ([a-z][a-z-]*)", body))

    assert {"revision", "check"} <= goals
    assert goals <= make_targets(default_project)


def test_command_ends_with_make_check(default_project: Path) -> None:
    _, body = read_command(default_project)
    last_line = body.strip().splitlines()[-1]

    assert "`make check`" in last_line, last_line


def test_every_path_the_command_names_exists(default_project: Path) -> None:
    _, body = read_command(default_project)
    paths = mentioned_paths(body)
    # Guards the check below against passing because the pattern finds nothing.
    expected = {f"src/{DEFAULT_PACKAGE}/notes", "tests/notes", f"src/{DEFAULT_PACKAGE}/features.py"}
    assert expected <= paths

    missing = []
    for path in sorted(paths):
        if CREATED in path:
            # The recipe creates it; the folder it goes in must be there already.
            parent = path.split(CREATED, 1)[0]
            if not (default_project / parent).is_dir():
                missing.append(path)
        elif not (default_project / path).exists():
            missing.append(path)
    assert missing == []


def test_switched_off_the_command_is_gone_and_nothing_names_it(without_example: Path) -> None:
    assert not (without_example / COMMAND_FILE).exists()
    # The post-generation hook removes the folder its only file left empty.
    assert not (without_example / COMMAND_FILE.parent).exists()
    assert lines_matching(without_example, re.compile(r"add-feature|\.claude/commands")) == []
    # The settings stay: they serve every bake.
    assert (without_example / SETTINGS_FILE).is_file()


def test_the_mention_scan_finds_the_command_when_switched_on(default_project: Path) -> None:
    # Guards the test above: with the defaults the same pattern has something to find.
    assert lines_matching(default_project, re.compile(r"add-feature|\.claude/commands"))
