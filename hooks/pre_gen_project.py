"""Validate the answers before anything is written.

Cookiecutter renders this file with Jinja before running it. The answers arrive as one JSON
document inside a raw string, never pasted into Python source, so no answer can change what
this code does. The module stays importable unrendered, which lets the template's tests call
`validate()` as a plain function.

Copier runs no hook: copier.yml repeats these checks as validators, message for message, and
tests/test_copier.py compares the two, so a changed message or a new rule changes both.
"""

from __future__ import annotations

import json
import keyword
import re
import sys
from collections.abc import Mapping

SUPPORTED_PYTHON_VERSIONS = ("3.11", "3.12", "3.13")
# Every choice option with the values the template supports; a value outside the list (from
# --no-input, cruft or Backstage, which skip cookiecutter's prompts) is refused here.
CHOICES: dict[str, tuple[str, ...]] = {
    "database": ("postgresql", "mysql", "sqlite"),
    "jwt_algorithm": ("EdDSA", "HS256"),
    "auth_provider": ("local", "oidc"),
    "ci_provider": ("github", "gitlab", "none"),
    "license": ("MIT", "Apache-2.0", "BSD-3-Clause", "Proprietary"),
}
BOOLEANS = (
    "include_example_resource",
    "include_background_jobs",
    "include_graphql",
    "include_kubernetes",
    "include_backstage",
)
# Yes/no questions whose default follows another answer: include_kubernetes defaults to true
# only with a database server (postgresql, mysql). Cookiecutter renders a templated default as
# text ("true" or "false") and keeps any answer to it as text ("no" from the prompt, "false"
# from the command line), while .cruft.json of older bakes and Backstage send JSON booleans. A
# bare Jinja `if` would read the text "false" as true, so the template reads these answers as
# cookiecutter's own yes/no prompt does: `|string|lower` in YES_WORDS (a test checks every
# use). This file is rendered by Jinja too, so this comment spells no Jinja tag.
FOLLOWING_BOOLEANS = ("include_kubernetes",)
YES_WORDS = ("1", "true", "t", "yes", "y", "on")
NO_WORDS = ("0", "false", "f", "no", "n", "off")
# Answers that bake a service which cannot work: each entry is the conflicting answers and
# why, worded so the one-line error says what to answer instead. Tests read this table, so
# a new rule is covered the day it is added.
UNSUPPORTED_COMBINATIONS: tuple[tuple[dict[str, object], str], ...] = (
    (
        {"database": "sqlite", "include_kubernetes": True},
        "the Kubernetes manifests run several replicas and one SQLite file cannot be shared "
        "between them; answer include_kubernetes=false, or database=postgresql or database=mysql",
    ),
)
# A Backstage entity reference to a group or user: [kind:][namespace/]name, as Backstage's
# OwnerPicker returns it (the namespace only when it is not "default"). The namespace is a DNS
# label and the name at most 63 letters, digits, ".", "_" or "-", as the catalog requires.
OWNER_PATTERN = re.compile(
    r"^((group|user):)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?/)?"
    r"[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$"
)

# Top-level modules the baked service imports: a package with one of these names would
# shadow the dependency and break the service at its first import.
DEPENDENCY_MODULES = frozenset(
    {
        "aiobotocore",
        "alembic",
        "argon2",
        "asyncmy",
        "asyncpg",
        "aiosqlite",
        "boto3",
        "botocore",
        "fastapi",
        "graphql",
        "httpx",
        "jwt",
        "migrations",
        "moto",
        "pydantic",
        "pydantic_settings",
        "pytest",
        "redis",
        "sqlalchemy",
        "starlette",
        "strawberry",
        "structlog",
        "taskiq",
        "taskiq_aio_pika",
        "taskiq_aio_sqs",
        "taskiq_redis",
        "tests",
        "uvicorn",
    }
)

SLUG_PATTERN = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
PACKAGE_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
MAX_NAME_LENGTH = 63


def _text_problems(key: str, value: object, max_length: int = 200) -> list[str]:
    if not isinstance(value, str) or not value.strip():
        return [f"{key}: must not be empty"]
    if CONTROL_CHARACTERS.search(value):
        return [f"{key}: must be a single line without control characters"]
    if len(value) > max_length:
        return [f"{key}: must be at most {max_length} characters (got {len(value)})"]
    return []


def _slug_problems(slug: str) -> list[str]:
    if not SLUG_PATTERN.fullmatch(slug):
        return [
            f"project_slug: {slug!r} is not valid; use lowercase letters, digits and single "
            "hyphens, starting with a letter (for example 'orders-service')"
        ]
    if len(slug) > MAX_NAME_LENGTH:
        return [f"project_slug: must be at most {MAX_NAME_LENGTH} characters (got {len(slug)})"]
    return []


def _package_problems(package: str) -> list[str]:
    if not PACKAGE_PATTERN.fullmatch(package) or not package.isidentifier():
        return [
            f"package_name: {package!r} is not a valid import name; use lowercase letters, "
            "digits and underscores, starting with a letter (for example 'orders_service')"
        ]
    if len(package) > MAX_NAME_LENGTH:
        return [f"package_name: must be at most {MAX_NAME_LENGTH} characters (got {len(package)})"]
    if keyword.iskeyword(package) or keyword.issoftkeyword(package):
        return [f"package_name: {package!r} is a Python keyword; choose another name"]
    if package in sys.stdlib_module_names:
        return [
            f"package_name: {package!r} would shadow the standard library module of that "
            "name; choose another name (for example 'orders_service')"
        ]
    if package in DEPENDENCY_MODULES:
        return [
            f"package_name: {package!r} would shadow the dependency or folder of that name; "
            "choose another name"
        ]
    return []


def _answer_text(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def yes_or_no(value: object) -> bool | None:
    """A yes/no answer as a bool, read as cookiecutter reads one; None when it is neither."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        if value.lower() in YES_WORDS:
            return True
        if value.lower() in NO_WORDS:
            return False
    return None


def _boolean_problem(key: str, value: object) -> list[str]:
    if key in FOLLOWING_BOOLEANS:
        if yes_or_no(value) is None:
            return [f"{key}: must be true or false, or yes or no (got {value!r})"]
        return []
    if not isinstance(value, bool):
        return [f"{key}: must be true or false (got {value!r})"]
    return []


def combination_problems(answers: Mapping[str, object]) -> list[str]:
    read = {
        key: yes_or_no(value) if key in FOLLOWING_BOOLEANS else value
        for key, value in answers.items()
    }
    problems = []
    for combination, reason in UNSUPPORTED_COMBINATIONS:
        if all(read.get(key) == value for key, value in combination.items()):
            pairs = " and ".join(f"{key}={_answer_text(v)}" for key, v in combination.items())
            problems.append(f"{pairs} cannot be combined: {reason}")
    return problems


def validate(answers: Mapping[str, object]) -> list[str]:
    """Return one readable line per problem; an empty list means the answers are usable."""
    problems: list[str] = []
    problems += _text_problems("project_name", answers.get("project_name"), max_length=100)
    problems += _text_problems("description", answers.get("description"))
    problems += _text_problems("author_name", answers.get("author_name"), max_length=100)

    slug = answers.get("project_slug")
    problems += _slug_problems(slug) if isinstance(slug, str) else ["project_slug: must be text"]
    package = answers.get("package_name")
    if isinstance(package, str):
        problems += _package_problems(package)
    else:
        problems.append("package_name: must be text")

    email = answers.get("author_email")
    if not isinstance(email, str) or not EMAIL_PATTERN.fullmatch(email):
        problems.append(
            f"author_email: {email!r} is not a valid email address (expected name@example.com)"
        )

    for key, allowed in CHOICES.items():
        if answers.get(key) not in allowed:
            problems.append(
                f"{key}: {answers.get(key)!r} is not supported; choose one of " + ", ".join(allowed)
            )
    for key in BOOLEANS:
        problems += _boolean_problem(key, answers.get(key))
    owner = answers.get("owner")
    if not isinstance(owner, str) or not OWNER_PATTERN.fullmatch(owner):
        problems.append(
            f"owner: {owner!r} is not a Backstage entity reference to a group or user; use "
            "for example 'group:platform-team', 'user:jane.doe' or 'group:payments/billing'"
        )

    problems += combination_problems(answers)

    version = answers.get("python_version")
    if version not in SUPPORTED_PYTHON_VERSIONS:
        problems.append(
            f"python_version: {version!r} is not supported; choose one of "
            + ", ".join(SUPPORTED_PYTHON_VERSIONS)
        )
    return problems


def main(answers: Mapping[str, object]) -> int:
    problems = validate(answers)
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    if problems:
        print("The service was not generated; answer again with the values fixed.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(json.loads(r"""{{ cookiecutter | tojson }}""")))
