"""Engine and session lifecycle: built by the app's lifespan, never at import time."""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

from sqlalchemy import event, exc
from sqlalchemy.engine.interfaces import DBAPIConnection, Dialect
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import ConnectionPoolEntry, PoolProxiedConnection

from {{ cookiecutter.package_name }}.core.config import DatabaseSettings

# A pooled connection that sat unused longer than this is pinged before a request gets it, so
# one that died while idle (database restart, proxy or firewall timeout) is replaced first.
# Busy connections are not pinged: SQLAlchemy's pool_pre_ping would cost three round trips
# (BEGIN, a ping, ROLLBACK{% if cookiecutter.database != "mysql" %} on asyncpg{% endif %}) on every checkout, more than most requests' own query.
PING_AFTER_IDLE_SECONDS = 10.0
{%- if cookiecutter.database == "mysql" %}
# READ COMMITTED, as PostgreSQL's default: each statement sees what committed before it, so a
# read after a unique-key conflict finds the row that won (idempotency keys, the schedule).
# MySQL's default REPEATABLE READ would keep the transaction's first snapshot.
MYSQL_ISOLATION_LEVEL = "READ COMMITTED"
# utf8mb4: every Unicode character (MySQL's `utf8` is three bytes, no emoji). UTC session time
# zone: NOW() and CURRENT_TIMESTAMP agree with the UTC instants the columns hold.
MYSQL_CONNECT_ARGS = {"charset": "utf8mb4", "init_command": "SET time_zone = '+00:00'"}
{%- else %}
# Distinct statements this service prepares; asyncpg keeps each prepared per connection, so a
# hit saves PostgreSQL a parse and plan. Set 0 behind PgBouncer in transaction pooling mode.
PREPARED_STATEMENT_CACHE_SIZE = 256
{%- endif %}
_CHECKED_IN_AT = "checked_in_at"

# Opens a connection for one read; in the service, the autocommit engine's `connect`.
Connect = Callable[[], AbstractAsyncContextManager[AsyncConnection]]


def create_engine(settings: DatabaseSettings) -> AsyncEngine:
    """Build the engine for `settings.database_url`, tuned for the backend it names."""
    if settings.is_sqlite:
        engine = create_async_engine(settings.database_url, echo=settings.database_echo)
        event.listen(engine.sync_engine, "connect", _configure_sqlite)
        return engine
    engine = create_async_engine(
        settings.database_url,
        echo=settings.database_echo,
        pool_size=settings.database_pool_size,
        max_overflow=settings.database_max_overflow,
{%- if cookiecutter.database == "mysql" %}
        isolation_level=MYSQL_ISOLATION_LEVEL,
        connect_args=MYSQL_CONNECT_ARGS,
{%- else %}
        connect_args={"prepared_statement_cache_size": PREPARED_STATEMENT_CACHE_SIZE},
{%- endif %}
    )
    ping_idle_connections(engine)
    return engine


def ping_idle_connections(
    engine: AsyncEngine, idle_seconds: float = PING_AFTER_IDLE_SECONDS
) -> None:
    """Ping a pooled connection on checkout only when it was idle for `idle_seconds`."""
    dialect = engine.dialect

    def on_checkout(
        dbapi_connection: DBAPIConnection,
        record: ConnectionPoolEntry,
        _proxy: PoolProxiedConnection,
    ) -> None:
        _ping_if_idle(dialect, dbapi_connection, record, idle_seconds)

    event.listen(engine.sync_engine, "checkin", _record_checkin)
    event.listen(engine.sync_engine, "checkout", on_checkout)


def _record_checkin(_dbapi_connection: DBAPIConnection | None, record: ConnectionPoolEntry) -> None:
    record.info[_CHECKED_IN_AT] = time.monotonic()


def _ping_if_idle(
    dialect: Dialect,
    dbapi_connection: DBAPIConnection,
    record: ConnectionPoolEntry,
    idle_seconds: float,
) -> None:
    checked_in_at = record.info.get(_CHECKED_IN_AT)
    if checked_in_at is None or time.monotonic() - checked_in_at < idle_seconds:
        return  # fresh from connect(), or returned moments ago
    try:
        dialect.do_ping(dbapi_connection)
    except Exception as error:
        # The pool discards this connection and checks out (or opens) another.
        raise exc.DisconnectionError from error


def autocommit_engine(engine: AsyncEngine) -> AsyncEngine:
    """`engine`'s pool, each connection in autocommit while checked out: for the hot reads.

    A read on it is one round trip, with no BEGIN and ROLLBACK around it, and without the
    ORM session: the requests every client makes most (the session check behind each token,
    list pages) read plain rows through it. The pool restores the default isolation level
    when a connection comes back, so the same connections also serve transactions.
    """
    return engine.execution_options(isolation_level="AUTOCOMMIT")


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    # expire_on_commit=False: objects returned by a service stay readable after its commit.
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


def _configure_sqlite(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    # SQLite ignores foreign keys unless asked, and WAL lets readers run beside one writer.
    cursor: Any = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()
