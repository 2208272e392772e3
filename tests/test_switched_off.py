"""An answer that switches something off leaves no file of it and no prose pointing at it.

The example resource and the Kubernetes manifests have their own modules (test_example_resource,
test_delivery); this one covers the rest. The mention scan reads prose and configuration
(Markdown, YAML, TOML, Makefile, Dockerfile, ignore files): there a stale line sends a reader
to something that is not there. Code comments may still explain a design by what PostgreSQL
does, decision records (docs/adr/) tell the measurements that led to them, and the coding
agent's definition (.claude/) is the team's general text; mypy, ruff and the deep contexts'
suites hold the code itself.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.support.cookies import Cookies, baked_path
from tests.support.rendering import lines_matching

PROSE = re.compile(r"(\.(md|ya?ml|toml|ini|cfg)|Makefile|Dockerfile|\.\w*ignore)$")
NOT_SCANNED = (".claude/", "docs/adr/")
# What include_background_jobs owns in a bake (each file under a conditional name).
JOBS_FILES = [
    "src/orders_service/jobs",
    "tests/jobs",
    "migrations/versions/2026_12_03_0004_jobs.py",
    "migrations/versions/2026_12_04_0006_job_trace_context.py",
    "docs/adr/0010-background-jobs.md",
    "src/orders_service/email",
    "tests/email",
    "tests/smtp_server.py",
    "src/orders_service/note_imports",
    "tests/note_imports",
    "migrations/versions/2026_12_04_0005_note_imports.py",
    "bench/jobs.py",
    "deploy/k8s/base/worker-deployment.yaml",
]


def prose_lines_matching(root: Path, pattern: re.Pattern[str]) -> list[str]:
    return [
        line
        for line in lines_matching(root, pattern)
        if PROSE.search(path := line.split(":", 1)[0]) and not path.startswith(NOT_SCANNED)
    ]


@pytest.mark.parametrize(
    ("answers", "owned", "mention"),
    [
        pytest.param(
            {"ci_provider": "none"},
            [".github", ".gitlab-ci.yml"],
            re.compile(r"\.github\b|\.gitlab-ci|dependabot|GitHub Actions|GitLab CI"),
            id="ci_provider=none",
        ),
        pytest.param(
            {"include_backstage": False},
            ["catalog-info.yaml", "mkdocs.yml", "docs/index.md"],
            re.compile(r"(?i)backstage|catalog-info|techdocs|mkdocs"),
            id="include_backstage=false",
        ),
        pytest.param(
            {"include_background_jobs": False},
            JOBS_FILES,
            re.compile(
                r"(?i)taskiq|BROKER_URL|background job|make worker|make scheduler|rabbitmq|outbox"
                r"|SMTP_URL|aiosmtpd|notes/imports|bench-jobs"
            ),
            id="include_background_jobs=false",
        ),
        pytest.param(
            {"auth_provider": "oidc"},
            [
                "src/orders_service/admin.py",
                "src/orders_service/auth/router.py",
                "src/orders_service/auth/passwords.py",
                "src/orders_service/auth/throttle.py",
                "src/orders_service/auth/data",
                "tests/auth/test_api.py",
                "tests/login_burst.py",
                "bench",
                "docs/adr/0002-token-design.md",
                "docs/adr/0004-login-throttling-and-password-policy.md",
            ],
            re.compile(r"/api/v1/auth/|make admin|create-admin|JWT_KEYS|LOGIN_MAX_FAILURES|argon2"),
            id="auth_provider=oidc",
        ),
        pytest.param(
            {},
            [
                "src/orders_service/auth/jwks.py",
                "src/orders_service/auth/provider_tokens.py",
                "tests/oidc_issuer.py",
                "migrations/versions/2026_12_04_0010_external_identities.py",
                "docs/adr/0018-oidc-resource-server.md",
            ],
            re.compile(r"(?i)oidc|openid|oauth2-mock-server"),
            id="auth_provider=local",
        ),
        pytest.param(
            {"database": "sqlite", "include_kubernetes": False},
            ["tests/databases.py", "bench"],
            re.compile(r"(?i)postgres|asyncpg|TEST_DATABASE_URL"),
            id="database=sqlite",
        ),
    ],
)
def test_switched_off_leaves_no_file_and_no_mention(
    cookies: Cookies, answers: dict[str, Any], owned: list[str], mention: re.Pattern[str]
) -> None:
    project = baked_path(cookies.bake(extra_context=answers))

    assert [path for path in owned if (project / path).exists()] == []
    assert prose_lines_matching(project, mention) == []


# What database=mysql owns in a bake; any other answer leaves no file of it and, in code or
# prose alike, no word of it (the driver, the servers, their service containers), except in the
# coding agent's general definition (.claude/), which lists the databases it knows.
MYSQL_FILES = [
    "src/orders_service/core/db/mysql.py",
    "tests/core/test_mysql_types.py",
    "docs/adr/0016-mysql-and-mariadb.md",
]
MYSQL_MENTION = re.compile(r"(?i)mysql|mariadb|asyncmy")


@pytest.mark.parametrize(
    "answers",
    [
        pytest.param({}, id="database=postgresql"),
        pytest.param({"database": "sqlite", "include_kubernetes": False}, id="database=sqlite"),
    ],
)
def test_without_mysql_no_file_and_no_line_names_it(
    cookies: Cookies, answers: dict[str, Any]
) -> None:
    project = baked_path(cookies.bake(extra_context=answers))

    assert [path for path in MYSQL_FILES if (project / path).exists()] == []
    assert [
        line for line in lines_matching(project, MYSQL_MENTION) if not line.startswith(".claude/")
    ] == []


def test_with_mysql_its_files_are_baked_and_postgresql_is_gone(cookies: Cookies) -> None:
    # Guards the test above against misspelt paths, and checks the other direction: the
    # PostgreSQL driver and containers are not in a database=mysql bake's prose and settings.
    project = baked_path(cookies.bake(extra_context={"database": "mysql"}))

    assert [path for path in MYSQL_FILES if not (project / path).exists()] == []
    assert prose_lines_matching(project, re.compile(r"asyncpg|postgres:|POSTGRES_PASSWORD")) == []


def test_the_mention_scans_find_their_subjects_when_switched_on(default_project: Path) -> None:
    # Guards the test above: with the defaults each pattern has something to find.
    for pattern in ("dependabot", "(?i)techdocs", "(?i)postgres", "(?i)taskiq|BROKER_URL"):
        assert prose_lines_matching(default_project, re.compile(pattern)), pattern


def test_background_jobs_files_appear_when_switched_on(default_project: Path) -> None:
    # Guards the include_background_jobs case above against passing because the paths are
    # misspelt: with the default answers every one of them is baked.
    assert [path for path in JOBS_FILES if not (default_project / path).exists()] == []


# What include_graphql owns in a bake. Off, no line of code or prose names GraphQL or
# Strawberry, except the lock's entry for graphql-core (the contract tests' schemathesis
# depends on it in every bake), the common-password list (which holds "strawberry") and the
# coding agent's general definition (.claude/).
GRAPHQL_FILES = [
    "src/orders_service/graphql_api",
    "src/orders_service/notes/graphql.py",
    "src/orders_service/users/graphql.py",
    "tests/graphql_api",
    "tests/contract/test_graphql_contract.py",
    "docs/adr/0019-graphql.md",
]
GRAPHQL_MENTION = re.compile(r"(?i)graphql|strawberry")
GRAPHQL_MENTION_ALLOWED = (".claude/", "uv.lock:", "src/orders_service/auth/data/")


def test_without_graphql_no_file_and_no_line_names_it(default_project: Path) -> None:
    assert [path for path in GRAPHQL_FILES if (default_project / path).exists()] == []
    assert [
        line
        for line in lines_matching(default_project, GRAPHQL_MENTION)
        if not line.startswith(GRAPHQL_MENTION_ALLOWED)
    ] == []


def test_with_graphql_its_files_are_baked(cookies: Cookies) -> None:
    # Guards the test above against misspelt paths and a pattern that finds nothing.
    project = baked_path(cookies.bake(extra_context={"include_graphql": True}))

    assert [path for path in GRAPHQL_FILES if not (project / path).exists()] == []
    assert prose_lines_matching(project, re.compile(r"strawberry-graphql"))
