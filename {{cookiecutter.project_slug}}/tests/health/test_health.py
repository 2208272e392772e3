from __future__ import annotations

import socket
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import NamedTuple

import pytest
from httpx import ASGITransport, AsyncClient

from {{ cookiecutter.package_name }}.main import create_app
from tests.conftest import make_settings

# Short, so the test is quick; the stalls below last longer than any of the service's own
# timeouts (2 s), so only the readiness bound can end the wait.
READINESS_BOUND_SECONDS = 1.0
# Room for a loaded test machine: a correctness bound, not a speed measurement.
MARGIN_SECONDS = 0.5


async def test_live_answers_ok_without_touching_the_database(client: AsyncClient) -> None:
    response = await client.get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_ready_answers_ok_when_the_database_answers(client: AsyncClient) -> None:
    response = await client.get("/health/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_ready_answers_503_naming_the_failed_check_when_the_database_is_down() -> None:
{%- if cookiecutter.database == "postgresql" %}
    # A PostgreSQL URL on a port nothing listens on: the connection is refused at once.
    app = create_app(make_settings("postgresql+asyncpg://nobody@127.0.0.1:1/none"))
{%- else %}
    # An SQLite file in a folder that does not exist: opening it fails at once.
    app = create_app(make_settings("sqlite+aiosqlite:///no-such-folder/nobody/none.db"))
{%- endif %}
    async with app.router.lifespan_context(app):
        transport = ASGITransport(app=app)
        async with AsyncClient(transport=transport, base_url="http://testserver") as http:
            response = await http.get("/health/ready")
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["checks"] == {"database": "failed"{% if cookiecutter.auth_provider == "oidc" %}, "jwks": "ok"{% endif %}}
    assert "nobody" not in response.text


@contextmanager
def stalled_server() -> Iterator[int]:
    """A local port that accepts connections and never answers: a hung PostgreSQL or Redis."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)  # the kernel completes each handshake; nothing ever reads or replies
        port: int = sock.getsockname()[1]
        yield port


class SlowDatabase(NamedTuple):
    url: str
    # Ends the stall, so the check cut off at the bound can wind down before the app stops.
    release: Callable[[], None]


@contextmanager
def locked_sqlite(tmp_path: Path) -> Iterator[SlowDatabase]:
    """An SQLite file another connection holds an exclusive lock on: every open waits."""
    path = tmp_path / "locked.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE held (x INTEGER)")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("INSERT INTO held VALUES (1)")
    try:
        yield SlowDatabase(f"sqlite+aiosqlite:///{path}", holder.rollback)
    finally:
        holder.rollback()
        holder.close()
{%- if cookiecutter.database == "postgresql" %}


@contextmanager
def stalled_postgres(_tmp_path: Path) -> Iterator[SlowDatabase]:
    with stalled_server() as port:
        yield SlowDatabase(f"postgresql+asyncpg://nobody:secret@127.0.0.1:{port}/none", _nothing)


def _nothing() -> None:
    pass


SLOW_DATABASES: list[Callable[[Path], AbstractContextManager[SlowDatabase]]] = [
    stalled_postgres,
    locked_sqlite,
]
{%- else %}


SLOW_DATABASES: list[Callable[[Path], AbstractContextManager[SlowDatabase]]] = [locked_sqlite]
{%- endif %}


@pytest.mark.parametrize("slow_database", SLOW_DATABASES)
async def test_ready_answers_503_within_its_bound_naming_every_stalled_check(
    slow_database: Callable[[Path], AbstractContextManager[SlowDatabase]], tmp_path: Path
) -> None:
{%- if cookiecutter.auth_provider == "local" %}
    with stalled_server() as redis_port, slow_database(tmp_path) as database:
        settings = make_settings(
            database.url,
            redis_url=f"redis://127.0.0.1:{redis_port}/0",
{%- else %}
    # A provider that accepts the connection and never answers stalls the key-set check.
    with stalled_server() as provider_port, slow_database(tmp_path) as database:
        settings = make_settings(
            database.url,
            oidc_issuer=f"http://127.0.0.1:{provider_port}",
{%- endif %}
            readiness_timeout_seconds=READINESS_BOUND_SECONDS,
        )
        app = create_app(settings)
        async with app.router.lifespan_context(app):
            transport = ASGITransport(app=app)
            async with AsyncClient(transport=transport, base_url="http://testserver") as http:
                started = time.perf_counter()
                response = await http.get("/health/ready")
                elapsed = time.perf_counter() - started
            database.release()
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
{%- if cookiecutter.auth_provider == "local" %}
    # The read cache on the stalled Redis is named as well, as degraded only.
    assert response.json()["checks"] == {
        "database": "timed_out",
        "redis": "timed_out",
        "cache": "degraded",
    }
{%- else %}
    assert response.json()["checks"] == {"database": "timed_out", "jwks": "timed_out"}
{%- endif %}
    assert "secret" not in response.text
    assert elapsed < READINESS_BOUND_SECONDS + MARGIN_SECONDS, f"answered after {elapsed:.2f} s"
