"""A dependency out of reach answers 503 with Retry-After and logs one warning per interval.

The dependencies are really out of reach: a port bound and closed again (so the connection is
refused at once), an SQLite file in a folder that does not exist. A bug still answers 500
and logs its traceback.
"""

from __future__ import annotations

import json
import socket
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
{%- if cookiecutter.auth_provider == "local" %}
from datetime import UTC, datetime
{%- endif %}
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient, Response
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from {{ cookiecutter.package_name }}.bootstrap import AppState
from {{ cookiecutter.package_name }}.main import create_app
{%- if cookiecutter.auth_provider == "oidc" %}
from tests.api_helpers import token_for
{%- endif %}
from tests.conftest import make_settings

REQUESTS = 20
# In the URLs of the unreachable dependencies: no log line or answer may repeat it.
PASSWORD = "outage-test-password"


def closed_port() -> int:
    """A local port nothing listens on: bound, then closed, so a connection is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def unreachable_sqlite(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path}/no-such-folder/none.db"
{%- if cookiecutter.database == "postgresql" %}


def unreachable_postgres(_tmp_path: Path) -> str:
    return f"postgresql+asyncpg://nobody:{PASSWORD}@127.0.0.1:{closed_port()}/none"


UNREACHABLE_DATABASES: list[Callable[[Path], str]] = [unreachable_postgres, unreachable_sqlite]
{%- else %}


UNREACHABLE_DATABASES: list[Callable[[Path], str]] = [unreachable_sqlite]
{%- endif %}


@asynccontextmanager
async def serving(app: FastAPI) -> AsyncIterator[AsyncClient]:
    async with app.router.lifespan_context(app):
        transport = ASGITransport(app=app)
        async with AsyncClient(transport=transport, base_url="http://testserver") as http:
            yield http


def log_lines(capsys: pytest.CaptureFixture[str]) -> tuple[str, list[dict[str, Any]]]:
    err = capsys.readouterr().err
    return err, [json.loads(line) for line in err.splitlines() if line.strip()]


{% if cookiecutter.auth_provider == "local" -%}
def valid_token(app: FastAPI) -> str:
    # Signed by the service itself: the request gets as far as the session check.
    state: AppState = app.state.app_state
    return state.access_tokens.issue(
        user_id=uuid.uuid4(), session_id=uuid.uuid4(), now=datetime.now(UTC)
    )
{%- else -%}
def valid_token(_app: FastAPI) -> str:
    # Signed by the test provider: the request gets as far as reading the account.
    return token_for(uuid.uuid4().hex, "someone@example.com")
{%- endif %}


def assert_outage_answer(response: Response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert int(response.headers["retry-after"]) >= 1
    body = response.json()
    assert body["status"] == 503
    assert body["type"].endswith(":dependency-unavailable")
    assert "Retry-After" in body["detail"]


def assert_one_outage_line(err: str, lines: list[dict[str, Any]], dependency: str) -> None:
    outage_lines = [line for line in lines if line["event"] == "dependency_unavailable"]
    assert len(outage_lines) == 1, outage_lines
    (line,) = outage_lines
    assert line["level"] == "warning"
    assert line["dependency"] == dependency
    assert line["count"] == 1  # the first refusal; the next ones are counted for the next line
    assert [line for line in lines if line["level"] in {"error", "critical"}] == []
    assert "Traceback" not in err
    assert PASSWORD not in err


@pytest.mark.parametrize("database_url_for", UNREACHABLE_DATABASES)
async def test_an_unreachable_database_answers_503_and_logs_one_warning(
    database_url_for: Callable[[Path], str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    app = create_app(make_settings(database_url_for(tmp_path), log_format="json"))
    async with serving(app) as http:
        headers = {"Authorization": f"Bearer {valid_token(app)}"}
        capsys.readouterr()  # start-up lines
        for _ in range(REQUESTS):
            assert_outage_answer(await http.get("/api/v1/users/me", headers=headers))
{%- if cookiecutter.auth_provider == "local" %}
        login = await http.post(
            "/api/v1/auth/login",
            data={"username": "someone@example.com", "password": "a long enough password"},
        )
        assert_outage_answer(login)
        assert PASSWORD not in login.text
{%- endif %}
    err, lines = log_lines(capsys)
    assert_one_outage_line(err, lines, "database")


{%- if cookiecutter.auth_provider == "local" %}


async def test_an_unreachable_redis_refuses_logins_with_503_and_logs_one_warning(
    database_url: str, engine: AsyncEngine, capsys: pytest.CaptureFixture[str]
) -> None:
    redis_url = f"redis://:{PASSWORD}@127.0.0.1:{closed_port()}/0"
    app = create_app(make_settings(database_url, redis_url=redis_url, log_format="json"))
    async with serving(app) as http:
        capsys.readouterr()
        for _ in range(REQUESTS):
            response = await http.post(
                "/api/v1/auth/login",
                data={"username": "someone@example.com", "password": "a long enough password"},
            )
            assert_outage_answer(response)
    err, lines = log_lines(capsys)
    assert_one_outage_line(err, lines, "redis")
{%- endif %}


async def test_a_bug_still_answers_500_and_logs_its_traceback(
    database_url: str, engine: AsyncEngine, capsys: pytest.CaptureFixture[str]
) -> None:
    # Errors that look like an outage from afar: none of them is one.
    app = create_app(make_settings(database_url, log_format="json"))

    @app.get("/test/runtime-error")
    async def runtime_error() -> None:
        raise RuntimeError("a bug")

    @app.get("/test/missing-file")
    def missing_file() -> None:
        Path("/no-such-folder/no-such-file").read_text()

    @app.get("/test/bad-sql")
    async def bad_sql() -> None:
        state: AppState = app.state.app_state
        async with state.engine.connect() as conn:
            await conn.execute(text("SELECT * FROM no_such_table"))

    paths = ["/test/runtime-error", "/test/missing-file", "/test/bad-sql"]
    async with serving(app) as http:
        capsys.readouterr()
        for path in paths:
            response = await http.get(path)
            assert response.status_code == 500, path
            assert "retry-after" not in response.headers
    _err, lines = log_lines(capsys)
    errors = [line for line in lines if line["event"] == "unhandled_error"]
    assert [line["url.path"] for line in errors] == paths
    assert all(
        line["level"] == "error" and "Traceback" in line["exception.stacktrace"] for line in errors
    )
    assert not [line for line in lines if line["event"] == "dependency_unavailable"]
