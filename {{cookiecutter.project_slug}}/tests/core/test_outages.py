"""Which errors count as a dependency outage, and the outage log's one line per interval."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ResponseError
from sqlalchemy import exc as sa_exc
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from {{ cookiecutter.package_name }}.core.errors import DependencyUnavailable
from {{ cookiecutter.package_name }}.core.observability.logging import configure_logging
from {{ cookiecutter.package_name }}.core.outages import (
    DATABASE,
    REDIS,
    OutageLog,
    as_outage,
    dependency_of,
)
from tests.clocks import FakeClock
from tests.conftest import make_settings


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


class _ServerError(Exception):
    """An error carrying a SQLSTATE, as asyncpg's and psycopg's do."""

    def __init__(self, sqlstate: str) -> None:
        super().__init__(f"SQLSTATE {sqlstate}")
        self.sqlstate = sqlstate


async def test_an_sqlite_file_that_cannot_be_opened_is_a_database_outage(tmp_path: Path) -> None:
    engine = create_async_engine(f"sqlite+aiosqlite:///{tmp_path}/no-such-folder/x.db")
    with pytest.raises(sa_exc.OperationalError) as raised:
        async with engine.connect():
            pass
    await engine.dispose()
    assert dependency_of(raised.value) == DATABASE


async def test_a_bad_statement_on_sqlite_is_not_an_outage() -> None:
    engine = create_async_engine("sqlite+aiosqlite://")
    with pytest.raises(sa_exc.OperationalError) as raised:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT * FROM no_such_table"))
    await engine.dispose()
    assert dependency_of(raised.value) is None


async def test_a_refused_connection_raised_through_the_driver_is_a_database_outage() -> None:
    engine = create_async_engine("sqlite+aiosqlite://")

    def refuse(_connection: object) -> None:
        # Raised inside SQLAlchemy's connection code, as a network driver's connect would.
        raise ConnectionRefusedError(111, "Connect call failed")

    async with engine.connect() as conn:
        with pytest.raises(ConnectionRefusedError) as raised:
            await conn.run_sync(refuse)
    await engine.dispose()
    assert dependency_of(raised.value) == DATABASE


def test_socket_errors_raised_by_the_service_itself_are_bugs() -> None:
    # No database or Redis client code on the way: nothing says which dependency it was.
    for error_type in (ConnectionRefusedError, TimeoutError, OSError):
        with pytest.raises(error_type) as raised:
            raise error_type("raised by the service")
        assert dependency_of(raised.value) is None


def test_file_errors_are_bugs() -> None:
    with pytest.raises(FileNotFoundError) as raised:
        Path("/no-such-folder/no-such-file").read_text()
    assert dependency_of(raised.value) is None


def test_an_exhausted_pool_and_an_invalidated_connection_are_database_outages() -> None:
    assert dependency_of(sa_exc.TimeoutError("QueuePool limit reached")) == DATABASE
    lost = sa_exc.OperationalError("SELECT 1", {}, RuntimeError("closed"))
    lost.connection_invalidated = True
    assert dependency_of(lost) == DATABASE
    assert dependency_of(sa_exc.OperationalError("SELECT 1", {}, RuntimeError("x"))) is None


@pytest.mark.parametrize("sqlstate", ["08006", "08003", "57P01", "57P03", "53300"])
def test_server_refusals_by_sqlstate_are_database_outages(sqlstate: str) -> None:
    wrapped = sa_exc.DBAPIError("SELECT 1", {}, _ServerError(sqlstate))
    assert dependency_of(_ServerError(sqlstate)) == DATABASE
    assert dependency_of(wrapped) == DATABASE


@pytest.mark.parametrize("sqlstate", ["42P01", "23505", "57014", "40001"])
def test_other_sqlstates_are_not_outages(sqlstate: str) -> None:
    assert dependency_of(_ServerError(sqlstate)) is None


async def test_an_unreachable_redis_is_a_redis_outage_and_its_other_errors_are_not() -> None:
    client = Redis.from_url(f"redis://127.0.0.1:{closed_port()}/0", socket_connect_timeout=1)
    try:
        with pytest.raises(RedisConnectionError) as raised:
            await client.ping()
    finally:
        await client.aclose()
    assert dependency_of(raised.value) == REDIS
    assert dependency_of(ResponseError("ERR Error running script")) is None


def test_a_plain_bug_is_not_an_outage_and_has_no_answer_of_its_own() -> None:
    assert dependency_of(RuntimeError("a bug")) is None
    assert as_outage(RuntimeError("a bug")) is None
    outage = as_outage(sa_exc.TimeoutError("QueuePool limit reached"))
    assert outage is not None
    assert (outage.status_code, outage.dependency, outage.error_type) == (
        503,
        DATABASE,
        "TimeoutError",
    )
    assert int(outage.headers["Retry-After"]) >= 1


def test_the_outage_log_writes_one_line_per_interval_with_the_count(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging(make_settings("sqlite+aiosqlite://", log_format="json"))
    clock = FakeClock()
    outages = OutageLog(interval_seconds=10, clock=clock)
    for _ in range(5):
        outages.record(DependencyUnavailable(DATABASE, error_type="ConnectionRefusedError"))
        clock.advance(1)
    outages.record(DependencyUnavailable(REDIS))  # another dependency: a line of its own
    clock.advance(6)  # 11 s after the first line
    outages.record(DependencyUnavailable(DATABASE, error_type="TimeoutError"))
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    assert [(line["dependency"], line["count"]) for line in lines] == [
        (DATABASE, 1),
        (REDIS, 1),
        (DATABASE, 5),  # the 4 counted in between, and this one
    ]
    assert {line["event"] for line in lines} == {"dependency_unavailable"}
    assert {line["level"] for line in lines} == {"warning"}
    assert lines[2]["error.type"] == "TimeoutError"


def test_refusals_of_an_outage_that_ended_are_not_added_to_the_next(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging(make_settings("sqlite+aiosqlite://", log_format="json"))
    clock = FakeClock()
    outages = OutageLog(interval_seconds=10, clock=clock)
    for _ in range(3):  # one outage: logged, then two counted
        outages.record(DependencyUnavailable(DATABASE, error_type="ConnectionRefusedError"))
        clock.advance(1)
    clock.advance(3600)  # the database came back; an hour later it goes again
    outages.record(DependencyUnavailable(DATABASE, error_type="TimeoutError"))
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    assert [(line["count"], line["error.type"]) for line in lines] == [
        (1, "ConnectionRefusedError"),
        (2, "ConnectionRefusedError"),  # the first outage's tail, on a line of its own
        (1, "TimeoutError"),
    ]
