"""Database metrics: the pool's connections, read at scrape time, and each query's latency.

The pool figures cost the request path nothing: a collector reads them from the pools this
process has open when Prometheus scrapes. Query latency is timed by SQLAlchemy's cursor
events (the recipe of its own FAQ), labelled only by the statement's kind, so no statement
text, table name or parameter becomes a label.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

from prometheus_client import REGISTRY, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import Connection, event
from sqlalchemy.engine.interfaces import DBAPICursor
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import QueuePool

from {{ cookiecutter.package_name }}.core.config import DatabaseSettings

QUERY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)
OPERATIONS = ("select", "insert", "update", "delete")
_STARTED = "metrics_query_started"
SQLITE_MAX_OVERFLOW = 10

QUERY_DURATION = Histogram(
    "db_query_duration_seconds",
    "Time from sending a statement to the database to having its result.",
    ["operation"],
    buckets=QUERY_BUCKETS,
)
_by_operation = {name: QUERY_DURATION.labels(name) for name in (*OPERATIONS, "other")}


class PoolCollector(Collector):
    """The connections of every pool this process tracks, summed, when scraped."""

    def __init__(self) -> None:
        self._pools: dict[int, tuple[QueuePool, int]] = {}

    def track(self, engine: AsyncEngine, max_overflow: int) -> None:
        pool = engine.sync_engine.pool
        if isinstance(pool, QueuePool):
            self._pools[id(engine)] = (pool, max_overflow)

    def untrack(self, engine: AsyncEngine) -> None:
        self._pools.pop(id(engine), None)

    def collect(self) -> Iterator[GaugeMetricFamily]:
        in_use = idle = overflow = capacity = 0
        for pool, max_overflow in list(self._pools.values()):
            in_use += pool.checkedout()
            idle += pool.checkedin()
            # SQLAlchemy counts overflow from -pool_size: negative while the pool is not full.
            overflow += max(0, pool.overflow())
            capacity += pool.size() + max_overflow
        yield GaugeMetricFamily(
            "db_pool_connections_in_use", "Connections checked out of the pool.", in_use
        )
        yield GaugeMetricFamily(
            "db_pool_connections_idle", "Open connections waiting in the pool.", idle
        )
        yield GaugeMetricFamily(
            "db_pool_connections_overflow", "Connections open beyond the pool size.", overflow
        )
        yield GaugeMetricFamily(
            "db_pool_connections_max",
            "The most connections the pool opens (pool size plus overflow).",
            capacity,
        )


POOLS = PoolCollector()
REGISTRY.register(POOLS)


def instrument_engine(engine: AsyncEngine, settings: DatabaseSettings) -> None:
    """Time `engine`'s queries and report its pool; `untrack_engine` when it is disposed."""
    # SQLite's engine keeps SQLAlchemy's default pool (5 connections and 10 more on demand).
    max_overflow = SQLITE_MAX_OVERFLOW if settings.is_sqlite else settings.database_max_overflow
    POOLS.track(engine, max_overflow)
    sync_engine = engine.sync_engine
    if not event.contains(sync_engine, "before_cursor_execute", _before_execute):
        event.listen(sync_engine, "before_cursor_execute", _before_execute)
        event.listen(sync_engine, "after_cursor_execute", _after_execute)


def untrack_engine(engine: AsyncEngine) -> None:
    POOLS.untrack(engine)


def operation(statement: str) -> str:
    word = statement.lstrip()[:6].lower()
    return word if word in _by_operation else "other"


# One slot per connection: a connection runs one statement at a time, and a statement that
# failed (no "after" event) is simply overwritten by the next.
def _before_execute(
    conn: Connection, _cursor: DBAPICursor, _statement: str, *_args: object
) -> None:
    conn.info[_STARTED] = time.perf_counter()


def _after_execute(conn: Connection, _cursor: DBAPICursor, statement: str, *_args: object) -> None:
    started = conn.info.pop(_STARTED, None)
    if started is not None:
        _by_operation[operation(statement)].observe(time.perf_counter() - started)
