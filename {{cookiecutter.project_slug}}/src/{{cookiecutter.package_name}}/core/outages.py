"""Which errors are a dependency outage, and the one warning an outage logs per interval.

A database or Redis that cannot be reached (refused, unreachable, timed out, its pool
exhausted, the connection lost under a statement) is not a bug in this service: the request
answers 503 with `Retry-After`, and the log gets one warning per dependency per interval with
the number of requests refused, where a traceback per request would bury every other line.
Anything not recognised here stays a 500 with its traceback.

Only the error's type and codes are read, never its message: a driver message can carry the
host, the user name or the password of the connection URL.
"""

from __future__ import annotations

import socket
import sqlite3
import sys
import time
import traceback
from collections.abc import Callable, Iterator

import structlog
from sqlalchemy import exc as sa_exc

from {{ cookiecutter.package_name }}.core.errors import DependencyUnavailable

DATABASE = "database"
REDIS = "redis"
LOG_INTERVAL_SECONDS = 10.0

# SQLSTATEs a PostgreSQL server (or a proxy speaking for it) sends when it cannot serve a
# connection at all: class 08 (connection exception), 57P0x (shutting down, crashed, starting
# up, database dropped), and too_many_connections. Read from the `sqlstate` attribute asyncpg
# and psycopg both set, so no driver is imported here.
_OUTAGE_SQLSTATE_PREFIXES = ("08", "57P")
_OUTAGE_SQLSTATES = frozenset({"53300"})
{%- if cookiecutter.database == "mysql" %}
# MySQL and MariaDB error numbers (asyncmy's errors carry one first in their args) for a server
# that cannot serve a connection: too many connections (1040), shutting down (1053), connection
# killed (1927, MariaDB), cannot connect (2002, 2003, 2005), gone away (2006), lost (2013),
# closed for inactivity (4031, MySQL 8).
_MYSQL_OUTAGE_ERRNOS = frozenset({1040, 1053, 1927, 2002, 2003, 2005, 2006, 2013, 4031})
{%- endif %}
# The SQLite file cannot be opened: a missing folder, an unmounted volume, no permission.
_SQLITE_OUTAGE_CODES = frozenset({sqlite3.SQLITE_CANTOPEN})
# A socket error is attributed to the dependency whose client code it was raised through.
{%- if cookiecutter.database == "mysql" %}
_DATABASE_MODULES = ("asyncmy", "aiosqlite", "sqlalchemy")
{%- else %}
_DATABASE_MODULES = ("asyncpg", "aiosqlite", "sqlalchemy", "psycopg")
{%- endif %}
_REDIS_MODULES = ("redis",)
# Exception chains are short; the bound only guards against a cycle built by hand.
_MAX_CHAIN = 16

logger = structlog.get_logger(__name__)


def dependency_of(error: BaseException) -> str | None:
    """The dependency `error` says is unreachable, or None when it is any other error."""
    for link in _chain(error):
        dependency = _classify(link)
        if dependency is not None:
            return dependency
    return None


def as_outage(error: BaseException) -> DependencyUnavailable | None:
    """`error` as the 503 it should answer, or None when it is not an outage."""
    if isinstance(error, DependencyUnavailable):
        return error
    dependency = dependency_of(error)
    if dependency is None:
        return None
    return DependencyUnavailable(dependency, error_type=type(error).__name__)


def _chain(error: BaseException) -> Iterator[BaseException]:
    # SQLAlchemy keeps the driver's error in `orig` and as the cause; drivers chain theirs.
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen and len(seen) < _MAX_CHAIN:
        seen.add(id(current))
        yield current
        if isinstance(current, sa_exc.DBAPIError) and isinstance(current.orig, BaseException):
            yield current.orig
        current = current.__cause__


def _classify(error: BaseException) -> str | None:
    if isinstance(error, DependencyUnavailable):
        return error.dependency
    if _is_database_outage(error):
        return DATABASE
    if _is_redis_outage(error):
        return REDIS
    if _is_network_error(error):
        return _raised_through(error)
    return None


def _is_database_outage(error: BaseException) -> bool:
    sqlstate = getattr(error, "sqlstate", None)
    return (
        # No pooled connection came free within the pool timeout.
        isinstance(error, sa_exc.TimeoutError)
        # SQLAlchemy saw the connection die under the statement.
        or (isinstance(error, sa_exc.DBAPIError) and error.connection_invalidated)
        or (
            isinstance(sqlstate, str)
            and (sqlstate.startswith(_OUTAGE_SQLSTATE_PREFIXES) or sqlstate in _OUTAGE_SQLSTATES)
        )
        or (isinstance(error, sqlite3.Error) and error.sqlite_errorcode in _SQLITE_OUTAGE_CODES)
{%- if cookiecutter.database == "mysql" %}
        or _is_mysql_outage(error)
{%- endif %}
    )
{%- if cookiecutter.database == "mysql" %}


def _is_mysql_outage(error: BaseException) -> bool:
    # Looked up, not imported, as Redis's errors are: only a loaded driver raises its own.
    errors = sys.modules.get("asyncmy.errors")
    if errors is None or not isinstance(error, errors.MySQLError):
        return False
    return bool(error.args) and error.args[0] in _MYSQL_OUTAGE_ERRNOS
{%- endif %}


def _is_redis_outage(error: BaseException) -> bool:
    # Looked up, not imported: without REDIS_URL the client is never loaded, and then no
    # error can be one of its own.
    redis_exceptions = sys.modules.get("redis.exceptions")
    if redis_exceptions is None:
        return False
    return isinstance(error, (redis_exceptions.ConnectionError, redis_exceptions.TimeoutError))


def _is_network_error(error: BaseException) -> bool:
    # A bare OSError is what a socket raises for an unreachable network or host; its
    # subclasses for files (FileNotFoundError, PermissionError...) are bugs, not outages.
    return type(error) is OSError or isinstance(
        error, ConnectionError | TimeoutError | socket.gaierror | socket.herror
    )


def _raised_through(error: BaseException) -> str | None:
    for frame, _line in traceback.walk_tb(error.__traceback__):
        module: str = frame.f_globals.get("__name__", "")
        if module.startswith(_DATABASE_MODULES):
            return DATABASE
        if module.startswith(_REDIS_MODULES):
            return REDIS
    return None


class OutageLog:
    """One warning per dependency per `interval_seconds`, with the requests refused since.

    The first refusal is logged at once (`count=1`); the ones after it within the interval
    are only counted, and the first refusal after the interval logs their total, itself
    included. Counted refusals that stopped an interval or more before the next one belong to
    an outage that has ended: they get a line of their own, so a later outage, maybe hours on,
    starts again at `count=1` instead of inheriting them. The event loop runs one request at a
    time here, so no lock is needed.
    """

    def __init__(
        self,
        interval_seconds: float = LOG_INTERVAL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._interval = interval_seconds
        self._clock = clock
        self._unlogged: dict[str, int] = {}
        self._logged_at: dict[str, float] = {}
        # The last refusal counted but not yet logged, per dependency: when, and its error.
        self._last_unlogged: dict[str, tuple[float, str | None]] = {}

    def record(self, outage: DependencyUnavailable) -> None:
        dependency = outage.dependency
        now = self._clock()
        logged_at = self._logged_at.get(dependency)
        if logged_at is not None and now - logged_at < self._interval:
            self._unlogged[dependency] = self._unlogged.get(dependency, 0) + 1
            self._last_unlogged[dependency] = (now, outage.error_type)
            return
        unlogged = self._unlogged.pop(dependency, 0)
        last = self._last_unlogged.pop(dependency, None)
        if unlogged and last is not None and now - last[0] >= self._interval:
            self._warn(dependency, unlogged, last[1])
            unlogged = 0
        self._logged_at[dependency] = now
        self._warn(dependency, unlogged + 1, outage.error_type)

    def _warn(self, dependency: str, count: int, error_type: str | None) -> None:
        logger.warning(
            "dependency_unavailable",
            dependency=dependency,
            count=count,
            interval_seconds=self._interval,
            error_type=error_type,
        )
