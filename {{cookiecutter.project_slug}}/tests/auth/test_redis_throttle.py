"""The Redis attempt store against a real Redis server.

Runs against the Redis of the `redis_client` fixture (tests/conftest.py): TEST_REDIS_URL, or
a local Redis on 127.0.0.1:6379; skipped with the reason when none answers, failed in CI.
Every run writes under its own key prefix and deletes it afterwards.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from redis.asyncio import Redis

from {{ cookiecutter.package_name }}.auth.components import build_login_throttle
from {{ cookiecutter.package_name }}.auth.redis_throttle import RedisAttemptStore
from {{ cookiecutter.package_name }}.auth.throttle import BackoffPolicy, LoginThrottle
from {{ cookiecutter.package_name }}.bootstrap import AppState
from {{ cookiecutter.package_name }}.core.errors import ServiceUnavailable
from {{ cookiecutter.package_name }}.main import create_app
from tests.api_helpers import PASSWORD, register, unique_email
from tests.conftest import make_settings, redis_url
from tests.login_burst import burst, count_verifications, login_from

POLICY = BackoffPolicy()


@pytest.fixture
async def store(redis_client: Redis) -> AsyncIterator[RedisAttemptStore]:
    prefix = f"test-{uuid.uuid4().hex}:"
    yield RedisAttemptStore(redis_client, prefix=prefix)
    leftovers = [key async for key in redis_client.scan_iter(match=prefix + "*")]
    if leftovers:
        await redis_client.delete(*leftovers)


async def test_five_failures_lock_for_a_minute(store: RedisAttemptStore) -> None:
    counts = [await store.add_failure("account:a", POLICY) for _ in range(5)]
    assert counts == [1, 2, 3, 4, 5]
    (remaining,) = await store.lock_remaining(["account:a"])
    assert 59 < remaining <= 60


async def test_fewer_failures_do_not_lock_and_the_count_expires_with_the_window(
    store: RedisAttemptStore, redis_client: Redis
) -> None:
    for _ in range(4):
        await store.add_failure("account:a", POLICY)
    assert await store.lock_remaining(["account:a", "account:b"]) == [0, 0]
    ttl = await redis_client.pttl(store.prefix + "{account:a}:failures")
    assert 0 < ttl <= POLICY.window_seconds * 1000


async def test_continued_failures_follow_the_doubling_schedule(store: RedisAttemptStore) -> None:
    for _ in range(4):
        await store.add_failure("client:198.51.100.1", POLICY)
    locks = []
    for _ in range(6):
        await store.add_failure("client:198.51.100.1", POLICY)
        (remaining,) = await store.lock_remaining(["client:198.51.100.1"])
        locks.append(round(remaining))
    assert locks == [60, 120, 240, 480, 900, 900]


async def test_concurrent_failures_are_all_counted(store: RedisAttemptStore) -> None:
    counts = await asyncio.gather(*(store.add_failure("account:a", POLICY) for _ in range(20)))
    assert sorted(counts) == list(range(1, 21))


async def test_of_reservations_made_at_once_only_the_limit_is_admitted(
    store: RedisAttemptStore,
) -> None:
    reservations = await asyncio.gather(
        *(store.reserve(["account:a", "client:198.51.100.1"], POLICY) for _ in range(20))
    )
    admitted = sorted(reservation.counts for reservation in reservations if reservation.admitted)
    assert admitted == [(count, count) for count in range(1, 6)]
    refused = [reservation for reservation in reservations if not reservation.admitted]
    assert len(refused) == 15
    for reservation in refused:
        assert all(59 < remaining <= 60 for remaining in reservation.lock_remaining)


async def test_a_refused_reservation_counts_nothing_on_any_key(store: RedisAttemptStore) -> None:
    for _ in range(5):
        await store.add_failure("account:a", POLICY)
    reservation = await store.reserve(["account:a", "client:198.51.100.1"], POLICY)
    assert not reservation.admitted
    (account_lock, client_lock) = reservation.lock_remaining
    assert 59 < account_lock <= 60
    assert client_lock == 0
    assert await store.add_failure("client:198.51.100.1", POLICY) == 1
    assert await store.add_failure("account:a", POLICY) == 6


async def test_a_refund_takes_back_the_failure_and_the_lock_it_set(
    store: RedisAttemptStore, redis_client: Redis
) -> None:
    for _ in range(4):
        await store.add_failure("client:198.51.100.1", POLICY)
    reservation = await store.reserve(["client:198.51.100.1"], POLICY)
    assert reservation.counts == (5,)
    await store.refund("client:198.51.100.1", 5, POLICY)
    assert await store.lock_remaining(["client:198.51.100.1"]) == [0]
    failures_key = store.prefix + "{client:198.51.100.1}:failures"
    assert await redis_client.get(failures_key) == b"4"
    assert await redis_client.pttl(failures_key) > 0  # the window still runs out
    assert await store.add_failure("client:198.51.100.1", POLICY) == 5


async def test_a_refund_keeps_a_lock_counted_after_its_attempt(store: RedisAttemptStore) -> None:
    for _ in range(5):
        await store.add_failure("client:198.51.100.1", POLICY)
    await store.reset("client:198.51.100.1")
    assert (await store.reserve(["client:198.51.100.1"], POLICY)).counts == (1,)
    for _ in range(5):
        await store.add_failure("client:198.51.100.1", POLICY)  # 6 failures: a 2-minute lock
    await store.refund("client:198.51.100.1", 1, POLICY)
    (remaining,) = await store.lock_remaining(["client:198.51.100.1"])
    assert 119 < remaining <= 120


async def test_a_refund_of_the_only_failure_leaves_no_key(
    store: RedisAttemptStore, redis_client: Redis
) -> None:
    await store.reserve(["client:198.51.100.1"], POLICY)
    await store.refund("client:198.51.100.1", 1, POLICY)
    assert [key async for key in redis_client.scan_iter(match=store.prefix + "*")] == []
    await store.refund("client:198.51.100.1", 1, POLICY)  # gone already: nothing to take back
    assert [key async for key in redis_client.scan_iter(match=store.prefix + "*")] == []


async def test_parallel_guesses_through_the_app_get_no_more_password_checks_than_the_limit(
    app: FastAPI,
    client: AsyncClient,
    store: RedisAttemptStore,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The app as REDIS_URL builds it, its counters under this run's own prefix.
    state: AppState = app.state.app_state
    monkeypatch.setattr(state.login_throttle, "store", store)
    email = unique_email("burst")
    await register(client, email)
    limit = state.settings.login_max_failures
    verifications = count_verifications(app, monkeypatch)
    statuses = await burst(app, [(email, "198.51.100.30")] * 20)
    assert verifications.calls == limit
    assert statuses == {401: limit, 429: 20 - limit}
    assert await login_from(app, email, PASSWORD, "203.0.113.30") == 429


async def test_reset_removes_the_count_and_the_lock(
    store: RedisAttemptStore, redis_client: Redis
) -> None:
    for _ in range(5):
        await store.add_failure("account:a", POLICY)
    await store.reset("account:a")
    assert await store.lock_remaining(["account:a"]) == [0]
    assert [key async for key in redis_client.scan_iter(match=store.prefix + "*")] == []
    assert await store.add_failure("account:a", POLICY) == 1


async def test_the_login_throttle_works_over_redis(store: RedisAttemptStore) -> None:
    throttle = LoginThrottle(store)
    for number in range(5):
        await throttle.record_failure("ada@example.com", f"198.51.100.{number}")
    lockout = await throttle.check("ADA@example.com", "203.0.113.1")
    assert lockout is not None
    assert lockout.retry_after == 60
    assert lockout.scopes == ("account",)


async def test_a_live_redis_answers_the_readiness_ping(store: RedisAttemptStore) -> None:
    assert await store.ping() is True


async def test_readiness_fails_naming_redis_when_redis_is_down(database_url: str) -> None:
    app = create_app(make_settings(database_url, redis_url="redis://127.0.0.1:1/0"))
    async with app.router.lifespan_context(app):
        transport = ASGITransport(app=app)
        async with AsyncClient(transport=transport, base_url="http://testserver") as http:
            response = await http.get("/health/ready")
    assert response.status_code == 503
    # The read cache on the same Redis is named too, but only as degraded (core/cache.py).
    assert response.json()["checks"] == {"database": "ok", "redis": "failed", "cache": "degraded"}
    assert "127.0.0.1" not in response.text


async def test_redis_url_in_the_settings_selects_the_redis_store() -> None:
    throttle = build_login_throttle(make_settings("sqlite+aiosqlite://", redis_url=redis_url()))
    try:
        assert isinstance(throttle.store, RedisAttemptStore)
    finally:
        await throttle.aclose()


async def test_an_unreachable_redis_refuses_logins_with_503_not_a_crash() -> None:
    # Nothing listens on port 1: the connection is refused at once. Needs no Redis server.
    store = RedisAttemptStore.from_url("redis://127.0.0.1:1/0")
    try:
        with pytest.raises(ServiceUnavailable):
            await store.lock_remaining(["account:a"])
        with pytest.raises(ServiceUnavailable):
            await store.add_failure("account:a", POLICY)
        with pytest.raises(ServiceUnavailable):
            await store.reserve(["account:a"], POLICY)
        with pytest.raises(ServiceUnavailable):
            await store.refund("account:a", 1, POLICY)
        with pytest.raises(ServiceUnavailable):
            await store.reset("account:a")
        assert await store.ping() is False
    finally:
        await store.aclose()
