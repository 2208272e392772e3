"""The read cache: a read answered from Redis (or this process's memory) instead of the database.

A feature caches a read that is asked often and changed rarely, under a key naming everything
the answer depends on: the owner as well as the id, so one user's data is never another's.

    order = await cache.read(CacheKey("orders.v1", owner_id, order_id), load, codec)
    ...
    uow.after_commit(partial(cache.invalidate, CacheKey("orders.v1", owner_id, order_id)))

A change invalidates its key only once its transaction has committed (the unit of work's
`after_commit`), and a read after that never sees the old value, even one that a slower read
begun before the commit is still storing: every key has a generation, a fresh token written
by each invalidation, and an entry counts only while the generation it was stored under is
still the key's. The entry and its generation come back in one round trip.

Redis is used through cashews when REDIS_URL is set (shared by every worker and replica);
without it the cache is this process's memory, which is right for one worker only. The cache
never fails a request: an error is logged once per interval and counted, and the read goes to
the database. An invalidation that fails is kept and retried before this process trusts the
cache again; until then its reads go to the database.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable
from functools import partial
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

import structlog
from prometheus_client import Counter
from pydantic import BaseModel

if TYPE_CHECKING:
    from cashews import Cache

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)

# A generation outlives every entry stored under it by this much, so an entry stored before a
# key's first invalidation is gone before that generation expires and the key has none again.
GENERATION_MARGIN_SECONDS = 3600
# Entries the in-process memory backend keeps, least recently used evicted first.
MEMORY_ENTRIES = 10_000
# A cache call waits at most this long for Redis, or for one of the process's connections to
# it: the database answers instead.
REDIS_TIMEOUT_SECONDS = 0.25
REDIS_MAX_CONNECTIONS = 20
LOG_INTERVAL_SECONDS = 10.0
_SEPARATOR = b"\n"
_NO_GENERATION = b"-"

logger = structlog.get_logger(__name__)

LOOKUPS = Counter(
    "cache_lookups_total",
    "Cached reads by result: hit (from the cache), miss (loaded and stored), bypass (cache "
    "skipped: disabled, or invalidations still to be retried).",
    ["result"],
)
ERRORS = Counter(
    "cache_errors_total",
    "Cache calls that failed (the backend out of reach), by operation; the request went on.",
    ["operation"],
)
_hits, _misses, _bypasses = (LOOKUPS.labels(result) for result in ("hit", "miss", "bypass"))


class CacheKey:
    """A cache key from its parts: a namespace, then every value the cached answer depends on."""

    __slots__ = ("text",)

    def __init__(self, namespace: str, *parts: object) -> None:
        self.text = ":".join([namespace, *(str(part) for part in parts)])

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CacheKey) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)

    def __repr__(self) -> str:
        return f"CacheKey({self.text!r})"


class Codec(Protocol[T]):
    def dump(self, value: T) -> bytes: ...
    def load(self, data: bytes) -> T: ...


class ModelCodec(Generic[M]):
    """A pydantic model as JSON: nothing that runs code on load (no pickle) is ever stored."""

    def __init__(self, model: type[M]) -> None:
        self._model = model

    def dump(self, value: M) -> bytes:
        return value.model_dump_json().encode()

    def load(self, data: bytes) -> M:
        return self._model.model_validate_json(data)


class ReadCache:
    """Reads through the cache, invalidations after commit. Build one with `build_read_cache`."""

    def __init__(
        self,
        connect: Callable[[], Cache] | None,
        *,
        ttl_seconds: float,
        prefix: str,
        shared: bool,
    ) -> None:
        # Builds the backend at the first use, so start-up imports neither cashews nor the
        # Redis client (docs/adr/0008-start-up-imports.md). None: caching is off
        # (CACHE_ENABLED=false); every read goes to the database.
        self._connect = connect
        self._backend: Cache | None = None
        # The errors of a backend out of reach; anything else is a bug and is raised.
        self._outages: tuple[type[BaseException], ...] = (OSError, TimeoutError)
        self._ttl = ttl_seconds
        self._prefix = prefix
        # True when the backend is Redis, shared with other processes; readiness checks it.
        self.shared = shared
        self._pending: set[CacheKey] = set()
        self._loading: dict[tuple[CacheKey, bytes], asyncio.Future[bytes | None]] = {}
        self._errors = _ErrorLog()

    async def read(
        self, key: CacheKey, load: Callable[[], Awaitable[T | None]], codec: Codec[T]
    ) -> T | None:
        """The value under `key`, from the cache or else from `load()` (None: not cached)."""
        backend = self._backend or self._first_use()
        if backend is None or (self._pending and not await self._retry_pending(backend)):
            _bypasses.inc()
            return await load()
        entry_key, generation_key = self._keys(key)
        try:
            generation, entry = await backend.get_many(generation_key, entry_key)
        except Exception as error:
            self._failed("read", error)
            return await load()
        current = generation or _NO_GENERATION
        if entry is not None:
            stored_under, _, data = entry.partition(_SEPARATOR)
            if stored_under == current:
                try:
                    value = codec.load(data)
                except ValueError:
                    pass  # stored in another shape (an older release): loaded afresh below
                else:
                    _hits.inc()
                    return value
        _misses.inc()
        return await self._load_once(backend, key, current, load, codec)

    async def invalidate(self, key: CacheKey) -> None:
        """Make every entry stored under `key` so far stale. Call it after the commit only."""
        backend = self._backend or self._first_use()
        if backend is None:
            return
        if not await self._write_generation(backend, key):
            self._pending.add(key)

    async def ping(self) -> None:
        """Raise when the backend does not answer (readiness reports the cache degraded)."""
        backend = self._backend or self._first_use()
        if backend is not None:
            await backend.ping()

    async def aclose(self) -> None:
        if self._backend is not None:
            await self._backend.close()

    async def _load_once(
        self,
        backend: Cache,
        key: CacheKey,
        generation: bytes,
        load: Callable[[], Awaitable[T | None]],
        codec: Codec[T],
    ) -> T | None:
        # Concurrent misses of one key in this process share one load: a popular entry that
        # expires costs the database one read per process, not one per request waiting.
        flight = (key, generation)
        waiting = self._loading.get(flight)
        if waiting is not None:
            try:
                data = await asyncio.shield(waiting)
            except asyncio.CancelledError:
                if not waiting.cancelled():
                    raise  # this request itself was cancelled
                return await load()  # the request loading it was: load here instead
            return None if data is None else codec.load(data)
        future: asyncio.Future[bytes | None] = asyncio.get_running_loop().create_future()
        self._loading[flight] = future
        try:
            value = await load()
            data = None if value is None else codec.dump(value)
            future.set_result(data)
        except Exception as error:
            future.set_exception(error)
            future.exception()  # retrieved here; waiters, if any, get it raised
            raise
        except BaseException:
            future.cancel()
            raise
        finally:
            del self._loading[flight]
        if data is not None:
            await self._store(backend, key, generation, data)
        return value

    async def _store(self, backend: Cache, key: CacheKey, generation: bytes, data: bytes) -> None:
        entry_key, _ = self._keys(key)
        try:
            await backend.set(entry_key, generation + _SEPARATOR + data, expire=self._ttl)
        except Exception as error:
            self._failed("fill", error)

    async def _write_generation(self, backend: Cache, key: CacheKey) -> bool:
        entry_key, generation_key = self._keys(key)
        try:
            await backend.set(
                generation_key,
                uuid.uuid4().hex.encode(),
                expire=self._ttl + GENERATION_MARGIN_SECONDS,
            )
        except Exception as error:
            self._failed("invalidate", error)
            return False
        try:
            # Only to free the memory now; the new generation already made the entry stale.
            await backend.delete(entry_key)
        except Exception as error:
            self._failed("invalidate", error)
        return True

    async def _retry_pending(self, backend: Cache) -> bool:
        """Retry the invalidations that failed; True once none is left."""
        for key in list(self._pending):
            if not await self._write_generation(backend, key):
                return False
            self._pending.discard(key)
        return True

    def _first_use(self) -> Cache | None:
        if self._connect is None:
            return None
        from cashews.exceptions import CacheError  # noqa: PLC0415 - loaded with the backend

        self._backend = self._connect()
        self._outages = (CacheError, OSError, TimeoutError)
        return self._backend

    def _keys(self, key: CacheKey) -> tuple[str, str]:
        base = self._prefix + key.text
        return base, base + ":generation"

    def _failed(self, operation: str, error: Exception) -> None:
        if not isinstance(error, self._outages):
            raise error  # not the backend out of reach: a bug, raised as it is
        ERRORS.labels(operation).inc()
        self._errors.record(operation, error)


class _ErrorLog:
    """One warning per interval with the number of failures, not a traceback per request."""

    def __init__(self) -> None:
        self._since = float("-inf")
        self._count = 0

    def record(self, operation: str, error: BaseException) -> None:
        self._count += 1
        now = time.monotonic()
        if now - self._since < LOG_INTERVAL_SECONDS:
            return
        # The type only: a Redis error's message can carry the host or the password.
        logger.warning(
            "cache_unavailable",
            operation=operation,
            error_type=type(error).__name__,
            failures=self._count,
        )
        self._since = now
        self._count = 0


def build_read_cache(
    *,
    enabled: bool,
    redis_url: str | None,
    ttl_seconds: float,
    prefix: str,
    timeout_seconds: float = REDIS_TIMEOUT_SECONDS,
) -> ReadCache:
    """The cache for these settings: Redis when `redis_url` is set, else this process's memory."""
    connect = partial(_cashews, redis_url, timeout_seconds) if enabled else None
    return ReadCache(
        connect, ttl_seconds=ttl_seconds, prefix=prefix, shared=enabled and bool(redis_url)
    )


def _cashews(redis_url: str | None, timeout_seconds: float) -> Cache:
    from cashews import Cache  # noqa: PLC0415 - at the first use, not at start-up

    backend = Cache()
    if redis_url:
        # suppress=False: cashews raises its errors instead of logging each, so they are
        # counted and logged here; null pickling: values are the codec's bytes, never pickle.
        backend.setup(
            redis_url,
            suppress=False,
            pickle_type="null",
            socket_timeout=timeout_seconds,
            socket_connect_timeout=timeout_seconds,
            max_connections=REDIS_MAX_CONNECTIONS,
            wait_for_connection_timeout=timeout_seconds,
        )
    else:
        backend.setup(f"mem://?size={MEMORY_ENTRIES}", pickle_type="null")
    return backend
