"""Shared fixtures: one database per test session, cleaned between tests.

SQLite by default (a file in a temporary folder).
{%- if cookiecutter.database == "postgresql" %} Set TEST_DATABASE_URL to a PostgreSQL URL
(postgresql+asyncpg://user@host:5432/db) and the same suite runs there: a fresh database is
created on that server for the session and dropped at the end, so runs never collide.
{%- elif cookiecutter.database == "mysql" %} Set TEST_DATABASE_URL to a MySQL or MariaDB
URL (mysql+asyncmy://user@host:3306/db) and the same suite runs there: a fresh database is
created on that server for the session and dropped at the end, so runs never collide.
{%- endif %}
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator{% if cookiecutter.auth_provider == "oidc" %}, Iterator{% endif %}
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

{% if cookiecutter.auth_provider == "local" %}from {{ cookiecutter.package_name }}.auth.passwords import PasswordHashing
from {{ cookiecutter.package_name }}.auth.throttle import InMemoryAttemptStore
from {{ cookiecutter.package_name }}.bootstrap import AppState
{% endif %}from {{ cookiecutter.package_name }}.core.db.engine import create_engine
from {{ cookiecutter.package_name }}.main import create_app
from {{ cookiecutter.package_name }}.models import load_models
from {{ cookiecutter.package_name }}.settings import Settings
{%- if cookiecutter.database == "postgresql" %}
from tests.databases import temporary_postgres_database
{%- elif cookiecutter.database == "mysql" %}
from tests.databases import temporary_mysql_database
{%- endif %}
{%- if cookiecutter.auth_provider == "oidc" %}
from tests.oidc_issuer import AUDIENCE, LocalIssuer, shared_issuer
{%- endif %}

# The Redis the tests that need one use: TEST_REDIS_URL, or a local Redis when one answers.
DEFAULT_TEST_REDIS_URL = "redis://127.0.0.1:6379/0"
TEST_SECRET = "test-secret-key-that-is-long-enough-for-hs256-0123456789"
# Every feature's tables, loaded once: each API test empties them afterwards.
METADATA = load_models()


def pytest_report_header() -> str:
    # Says which database this run proves, so a run meant for PostgreSQL cannot pass on
    # SQLite unnoticed.
{%- if cookiecutter.database == "postgresql" %}
    server = "PostgreSQL" if os.environ.get("TEST_DATABASE_URL") else "SQLite"
    return f"database: {server}"
{%- elif cookiecutter.database == "mysql" %}
    server = "MySQL" if os.environ.get("TEST_DATABASE_URL") else "SQLite"
    return f"database: {server}"
{%- else %}
    return "database: SQLite"
{%- endif %}


def make_settings(database_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "environment": "test",
        "database_url": database_url,
        "secret_key": TEST_SECRET,
{%- if cookiecutter.auth_provider == "local" %}
        # OWASP's floor: real argon2id, at test speed.
        "password_hash_memory_kib": 19 * 1024,
        "password_hash_time_cost": 2,
        "password_hash_parallelism": 1,
{%- else %}
        # The test provider on 127.0.0.1 (tests/oidc_issuer.py); production refuses one on this
        # machine, so production settings name a remote one, never contacted by these tests.
        "oidc_issuer": (
            "https://issuer.example.com"
            if overrides.get("environment") == "production"
            else shared_issuer().issuer
        ),
        "oidc_audience": AUDIENCE,
        "oidc_token_type": "at+jwt",
{%- endif %}
        "log_format": "console",
        # {% if cookiecutter.auth_provider == "local" %}Login counters and the{% else %}The{% endif %} read cache in process, whatever REDIS_URL the shell has.
        "redis_url": None,
        # Any free port: tests run side by side, each app serving its own metrics.
        "metrics_port": 0,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


@asynccontextmanager
async def temporary_database(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
{%- if cookiecutter.database == "sqlite" %}
    """A database of its own: a SQLite file in a temporary folder."""
{%- else %}
    """A database of its own: a fresh one on TEST_DATABASE_URL's server, else a SQLite file."""
    server_url = os.environ.get("TEST_DATABASE_URL")
    if server_url:
        async with temporary_{{ "postgres" if cookiecutter.database == "postgresql" else "mysql" }}_database(server_url) as url:
            yield url
        return
{%- endif %}
    path: Path = tmp_path_factory.mktemp("db") / "test.db"
    yield f"sqlite+aiosqlite:///{path}"


@pytest.fixture(scope="session")
async def database_url(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
    async with temporary_database(tmp_path_factory) as url:
        yield url


def redis_url() -> str:
    """The Redis for tests that need one: TEST_REDIS_URL, else 127.0.0.1:6379."""
    return os.environ.get("TEST_REDIS_URL") or DEFAULT_TEST_REDIS_URL


def redis_required() -> bool:
    in_ci = os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}
    return in_ci or bool(os.environ.get("TEST_REDIS_URL"))


@pytest.fixture
async def redis_client() -> AsyncIterator[Redis]:
    """A client of the test Redis. When none answers the test skips and says so, except in CI
    (CI=true) or when TEST_REDIS_URL was set on purpose: there a missing Redis is a broken
    machine, and it fails."""
    url = redis_url()
    client = Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
    try:
        await client.ping()
    except (RedisError, OSError) as exc:
        await client.aclose()
        parts = urlsplit(url)  # host and port only: the URL may carry a password
        where = f"{parts.hostname}:{parts.port or 6379}"
        reason = (
            f"Redis is not reachable at {where} ({type(exc).__name__}); "
            "start Redis or set TEST_REDIS_URL=redis://host:port/db"
        )
        if redis_required():
            pytest.fail(f"Redis is required here (CI or TEST_REDIS_URL): {reason}")
        pytest.skip(reason)
    yield client
    await client.aclose()
{%- if cookiecutter.auth_provider == "local" %}


@pytest.fixture(scope="session")
def passwords() -> PasswordHashing:
    # OWASP's floor parameters: real argon2id, fast enough for service tests.
    return PasswordHashing(concurrency=2, time_cost=2, memory_cost_kib=19 * 1024, parallelism=1)


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    return make_settings(database_url)
{%- else %}


@pytest.fixture
def issuer() -> Iterator[LocalIssuer]:
    """The OIDC provider the apps trust, on 127.0.0.1; tests/api_helpers.py signs with it.

    A test may rotate its keys or take it down: both are undone afterwards.
    """
    provider = shared_issuer()
    keys = list(provider.keys)
    yield provider
    provider.publish(*keys)
    provider.down = False


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    return make_settings(database_url)
{%- endif %}


@asynccontextmanager
async def schema_engine(settings: Settings) -> AsyncIterator[AsyncEngine]:
    """An engine on the database `settings` names, with every feature's tables created."""
    engine = create_engine(settings)
    async with engine.begin() as conn:
        await conn.run_sync(METADATA.create_all)
    try:
        yield engine
    finally:
        await engine.dispose()


@pytest.fixture(scope="session")
async def engine(settings: Settings) -> AsyncIterator[AsyncEngine]:
    async with schema_engine(settings) as engine:
        yield engine


@pytest.fixture(scope="session")
async def app(settings: Settings, engine: AsyncEngine) -> AsyncIterator[FastAPI]:
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app: FastAPI, engine: AsyncEngine) -> AsyncIterator[AsyncClient]:
{%- if cookiecutter.auth_provider == "local" %}
    # Every API test starts with no failed login counted against any account or address.
    state: AppState = app.state.app_state
    assert isinstance(state.login_throttle.store, InMemoryAttemptStore)
    state.login_throttle.store.clear()
{%- endif %}
    transport = ASGITransport(app=app)
    async with AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http
    # Every API test starts from empty tables.
    async with engine.begin() as conn:
        for table in reversed(METADATA.sorted_tables):
            await conn.execute(table.delete())


@pytest.fixture
async def db_session(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    """A session inside a transaction that is rolled back: repository tests leave nothing behind."""
    async with engine.connect() as connection:
        transaction = await connection.begin()
        # Commits inside the code under test become savepoints of this outer transaction.
        session = AsyncSession(
            bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
        )
        try:
            yield session
        finally:
            await session.close()
            await transaction.rollback()
