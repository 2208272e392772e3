"""The read cache (core/cache.py): in memory, and against a real Redis (the `redis_client`
fixture: skipped with the reason when none answers, failed in CI).

Each Redis test writes under its own prefix and deletes it afterwards.
"""

from __future__ import annotations

import asyncio
import socket
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from prometheus_client import REGISTRY
from pydantic import BaseModel
from redis.asyncio import Redis

from {{ cookiecutter.package_name }}.core.cache import (
    CacheKey,
    ModelCodec,
    ReadCache,
    build_read_cache,
)
from tests.conftest import redis_url

TTL_SECONDS = 60
# Longer than the service's own bound, so a loaded test machine does not turn a slow answer
# into a counted error and a load: these tests are about what is cached, not about timeouts.
TEST_TIMEOUT_SECONDS = 5.0


class Item(BaseModel):
    id: uuid.UUID
    name: str


CODEC = ModelCodec(Item)


class Source:
    """The database stand-in: the current value of each key, and how often it was read."""

    def __init__(self) -> None:
        self.values: dict[CacheKey, Item] = {}
        self.loads = 0

    def loader(self, key: CacheKey) -> Callable[[], Awaitable[Item | None]]:
        async def load() -> Item | None:
            self.loads += 1
            return self.values.get(key)

        return load


def closed_port() -> int:
    """A local port nothing listens on: a connection to it is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def counted(metric: str, label: str) -> float:
    name, label_name = (
        ("cache_lookups_total", "result")
        if metric == "lookups"
        else (
            "cache_errors_total",
            "operation",
        )
    )
    return REGISTRY.get_sample_value(name, {label_name: label}) or 0.0


@pytest.fixture
async def memory_cache() -> AsyncIterator[ReadCache]:
    cache = build_read_cache(enabled=True, redis_url=None, ttl_seconds=TTL_SECONDS, prefix="t:")
    yield cache
    await cache.aclose()


@pytest.fixture
async def prefix(redis_client: Redis) -> AsyncIterator[str]:
    prefix = f"test-cache-{uuid.uuid4().hex}:"
    yield prefix
    leftovers = [key async for key in redis_client.scan_iter(match=prefix + "*")]
    if leftovers:
        await redis_client.delete(*leftovers)


@pytest.fixture
async def redis_cache(prefix: str) -> AsyncIterator[ReadCache]:
    cache = build_read_cache(
        enabled=True,
        redis_url=redis_url(),
        ttl_seconds=TTL_SECONDS,
        prefix=prefix,
        timeout_seconds=TEST_TIMEOUT_SECONDS,
    )
    yield cache
    await cache.aclose()


@pytest.fixture(params=["memory", "redis"])
def cache(request: pytest.FixtureRequest) -> ReadCache:
    fixture: ReadCache = request.getfixturevalue(f"{request.param}_cache")
    return fixture


def item(name: str) -> Item:
    return Item(id=uuid.uuid4(), name=name)


async def test_without_redis_url_the_cache_is_this_process_memory() -> None:
    cache = build_read_cache(enabled=True, redis_url=None, ttl_seconds=TTL_SECONDS, prefix="t:")
    try:
        assert not cache.shared
        source, key = Source(), CacheKey("items", uuid.uuid4())
        source.values[key] = item("first")
        assert await cache.read(key, source.loader(key), CODEC) == source.values[key]
        assert await cache.read(key, source.loader(key), CODEC) == source.values[key]
        assert source.loads == 1
    finally:
        await cache.aclose()


async def test_a_second_read_is_a_hit_and_loads_nothing(cache: ReadCache) -> None:
    source, key = Source(), CacheKey("items", uuid.uuid4())
    source.values[key] = item("first")
    hits = counted("lookups", "hit")
    for _ in range(3):
        assert await cache.read(key, source.loader(key), CODEC) == source.values[key]
    assert source.loads == 1
    assert counted("lookups", "hit") == hits + 2


async def test_after_an_invalidation_the_next_read_loads_the_new_value(cache: ReadCache) -> None:
    source, key = Source(), CacheKey("items", uuid.uuid4())
    source.values[key] = item("first")
    await cache.read(key, source.loader(key), CODEC)
    source.values[key] = item("second")
    await cache.invalidate(key)
    assert await cache.read(key, source.loader(key), CODEC) == source.values[key]
    del source.values[key]
    await cache.invalidate(key)
    assert await cache.read(key, source.loader(key), CODEC) is None


async def test_a_read_begun_before_a_change_never_stores_the_old_value_for_later_reads(
    cache: ReadCache,
) -> None:
    # The race a plain delete-on-write loses: a slow read loads the old value, the change
    # commits and invalidates, and only then does the slow read store what it loaded.
    key, old, new = CacheKey("items", uuid.uuid4()), item("old"), item("new")
    loaded, release = asyncio.Event(), asyncio.Event()

    async def slow_load() -> Item | None:
        loaded.set()
        await release.wait()
        return old

    reading = cache.read(key, slow_load, CODEC)
    slow_read = asyncio.create_task(reading)
    await loaded.wait()
    await cache.invalidate(key)  # the change has committed; `new` is the value now
    release.set()
    assert await slow_read == old  # its own answer was read before the change: fine

    async def load_new() -> Item | None:
        return new

    assert await cache.read(key, load_new, CODEC) == new


async def test_keys_with_different_parts_never_share_an_entry(cache: ReadCache) -> None:
    thing = uuid.uuid4()
    source = Source()
    mine, theirs = CacheKey("items", uuid.uuid4(), thing), CacheKey("items", uuid.uuid4(), thing)
    source.values[mine] = item("mine")
    await cache.read(mine, source.loader(mine), CODEC)
    assert await cache.read(theirs, source.loader(theirs), CODEC) is None
    assert source.loads == 2


async def test_concurrent_misses_of_one_key_load_it_once(cache: ReadCache) -> None:
    key, value = CacheKey("items", uuid.uuid4()), item("popular")
    loads, release = 0, asyncio.Event()

    async def load() -> Item | None:
        nonlocal loads
        loads += 1
        await release.wait()
        return value

    async def read() -> Item | None:
        return await cache.read(key, load, CODEC)

    def missed() -> float:
        # A read that could not reach Redis is counted as an error and loads on its own.
        return counted("lookups", "miss") + counted("errors", "read")

    before, errors = missed(), counted("errors", "read")
    reads = [asyncio.create_task(read()) for _ in range(20)]
    # The load ends only once every read has missed, so all of them find it still running.
    for _ in range(500):
        if missed() >= before + 20:
            break
        await asyncio.sleep(0.01)
    release.set()
    assert await asyncio.gather(*reads) == [value] * 20
    assert loads == 1 + (counted("errors", "read") - errors)


async def test_an_entry_stored_by_an_older_release_in_another_shape_is_loaded_afresh(
    memory_cache: ReadCache,
) -> None:
    class Other(BaseModel):
        other: int

    key, value = CacheKey("items", uuid.uuid4()), item("current")
    source = Source()
    source.values[key] = value

    async def load_other() -> Other | None:
        return Other(other=1)

    await memory_cache.read(key, load_other, ModelCodec(Other))
    assert await memory_cache.read(key, source.loader(key), CODEC) == value
    assert source.loads == 1


async def test_disabled_every_read_loads() -> None:
    cache = build_read_cache(enabled=False, redis_url=None, ttl_seconds=TTL_SECONDS, prefix="t:")
    source, key = Source(), CacheKey("items", uuid.uuid4())
    source.values[key] = item("first")
    for _ in range(3):
        assert await cache.read(key, source.loader(key), CODEC) == source.values[key]
    await cache.invalidate(key)
    assert source.loads == 3


async def test_two_processes_caches_on_one_redis_see_each_others_invalidations(
    redis_cache: ReadCache, prefix: str
) -> None:
    # Two caches with their own cashews clients: two workers or replicas sharing one Redis.
    other = build_read_cache(
        enabled=True,
        redis_url=redis_url(),
        ttl_seconds=TTL_SECONDS,
        prefix=prefix,
        timeout_seconds=TEST_TIMEOUT_SECONDS,
    )
    try:
        source, key = Source(), CacheKey("items", uuid.uuid4())
        source.values[key] = item("first")
        await redis_cache.read(key, source.loader(key), CODEC)
        assert await other.read(key, source.loader(key), CODEC) == source.values[key]
        assert source.loads == 1  # the other read the entry the first stored
        source.values[key] = item("second")
        await other.invalidate(key)
        assert await redis_cache.read(key, source.loader(key), CODEC) == source.values[key]
    finally:
        await other.aclose()


async def test_with_redis_down_reads_load_and_errors_are_counted_not_raised() -> None:
    cache = build_read_cache(
        enabled=True,
        redis_url=f"redis://127.0.0.1:{closed_port()}/0",
        ttl_seconds=TTL_SECONDS,
        prefix="t:",
    )
    try:
        source, key = Source(), CacheKey("items", uuid.uuid4())
        source.values[key] = item("first")
        read_errors = counted("errors", "read")
        assert await cache.read(key, source.loader(key), CODEC) == source.values[key]
        assert await cache.read(key, source.loader(key), CODEC) == source.values[key]
        assert source.loads == 2
        assert counted("errors", "read") == read_errors + 2
        invalidate_errors, bypasses = counted("errors", "invalidate"), counted("lookups", "bypass")
        await cache.invalidate(key)  # kept, to be retried
        assert counted("errors", "invalidate") == invalidate_errors + 1
        # Until the invalidation is retried successfully, this process trusts no entry.
        assert await cache.read(key, source.loader(key), CODEC) == source.values[key]
        assert counted("lookups", "bypass") == bypasses + 1
        with pytest.raises(Exception):  # noqa: B017, PT011 - readiness reports any failure
            await cache.ping()
    finally:
        await cache.aclose()
