"""The backoff arithmetic, the in-memory counter store and the login policy over it."""

from __future__ import annotations

import pytest

from {{ cookiecutter.package_name }}.core.throttle import (
    BackoffPolicy,
    InMemoryAttemptStore,
    LoginThrottle,
    account_key,
    client_key,
)
from tests.clocks import FakeClock

POLICY = BackoffPolicy()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store(clock: FakeClock) -> InMemoryAttemptStore:
    return InMemoryAttemptStore(clock=clock)


async def fail(store: InMemoryAttemptStore, key: str, times: int) -> int:
    failures = 0
    for _ in range(times):
        failures = await store.add_failure(key, POLICY)
    return failures


@pytest.mark.parametrize(
    ("failures", "lock"),
    [(0, 0), (4, 0), (5, 60), (6, 120), (7, 240), (8, 480), (9, 900), (10, 900), (10_000, 900)],
)
def test_the_lock_starts_at_one_minute_and_doubles_up_to_fifteen(failures: int, lock: int) -> None:
    assert POLICY.lock_seconds(failures) == lock


def test_the_schedule_lists_every_lock_length_up_to_the_cap() -> None:
    assert POLICY.lock_schedule() == [60, 120, 240, 480, 900]
    assert BackoffPolicy(first_lock_seconds=900).lock_schedule() == [900]


async def test_four_failures_do_not_lock_and_the_fifth_locks_for_a_minute(
    store: InMemoryAttemptStore, clock: FakeClock
) -> None:
    assert await fail(store, "k", 4) == 4
    assert await store.lock_remaining(["k"]) == [0.0]
    await store.add_failure("k", POLICY)
    assert await store.lock_remaining(["k"]) == [60.0]
    clock.advance(45)
    assert await store.lock_remaining(["k"]) == [15.0]
    clock.advance(15)
    assert await store.lock_remaining(["k"]) == [0.0]


async def test_failures_after_each_lock_double_it_until_the_cap(
    store: InMemoryAttemptStore, clock: FakeClock
) -> None:
    await fail(store, "k", 5)
    seen = []
    for _ in range(6):
        (remaining,) = await store.lock_remaining(["k"])
        seen.append(remaining)
        clock.advance(remaining)
        await store.add_failure("k", POLICY)
    assert seen == [60, 120, 240, 480, 900, 900]


async def test_failures_spread_over_more_than_the_window_never_lock(
    store: InMemoryAttemptStore, clock: FakeClock
) -> None:
    for _ in range(10):
        await store.add_failure("k", POLICY)
        clock.advance(POLICY.window_seconds / 4 + 1)
    assert await store.lock_remaining(["k"]) == [0.0]


async def test_a_lock_is_forgotten_one_window_after_it_ends(
    store: InMemoryAttemptStore, clock: FakeClock
) -> None:
    await fail(store, "k", 7)  # locked for 4 minutes
    clock.advance(240 + POLICY.window_seconds)
    # A fresh start: the next failure is the first again, not the eighth.
    assert await store.add_failure("k", POLICY) == 1
    assert len(store) == 1


async def test_reset_forgets_the_failures_and_the_lock(store: InMemoryAttemptStore) -> None:
    await fail(store, "k", 5)
    await store.reset("k")
    assert await store.lock_remaining(["k"]) == [0.0]
    assert await store.add_failure("k", POLICY) == 1


async def test_keys_are_counted_apart(store: InMemoryAttemptStore) -> None:
    await fail(store, "a", 5)
    assert await store.lock_remaining(["a", "b"]) == [60.0, 0.0]


async def test_memory_stays_bounded_by_evicting_the_oldest_keys(clock: FakeClock) -> None:
    store = InMemoryAttemptStore(max_keys=3, clock=clock)
    for key in ("a", "b", "c", "d", "e"):
        await store.add_failure(key, POLICY)
    assert len(store) == 3
    assert await store.add_failure("a", POLICY) == 1  # "a" was evicted, so it starts over
    assert await store.add_failure("e", POLICY) == 2


async def test_expired_keys_are_dropped_as_new_failures_arrive(
    store: InMemoryAttemptStore, clock: FakeClock
) -> None:
    for key in ("a", "b", "c"):
        await store.add_failure(key, POLICY)
    clock.advance(POLICY.window_seconds)
    await store.add_failure("d", POLICY)
    assert len(store) == 1


async def test_close_empties_the_store(store: InMemoryAttemptStore) -> None:
    await store.add_failure("k", POLICY)
    await store.aclose()
    assert len(store) == 0


def test_account_keys_are_digests_of_the_normalised_email() -> None:
    key = account_key(" Ada@Example.com ")
    assert key == account_key("ada@example.com")
    assert "ada" not in key
    assert key.startswith("account:")


@pytest.mark.parametrize(
    ("host", "key"),
    [
        ("203.0.113.7", "client:203.0.113.7"),
        ("2001:db8:1:2:aaaa::1", "client:2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff::9", "client:2001:db8:1:2::/64"),
        ("testclient", "client:testclient"),
    ],
)
def test_clients_are_keyed_by_address_and_ipv6_by_its_64_prefix(host: str, key: str) -> None:
    assert client_key(host) == key


async def test_the_throttle_locks_an_account_from_any_address(
    store: InMemoryAttemptStore,
) -> None:
    throttle = LoginThrottle(store)
    for number in range(5):
        await throttle.record_failure("ada@example.com", f"198.51.100.{number}")
    lockout = await throttle.check("ada@example.com", "198.51.100.99")
    assert lockout is not None
    assert lockout.retry_after == 60
    assert lockout.scopes == ("account",)


async def test_the_throttle_locks_an_address_for_every_account(
    store: InMemoryAttemptStore,
) -> None:
    throttle = LoginThrottle(store)
    for number in range(5):
        await throttle.record_failure(f"user{number}@example.com", "198.51.100.1")
    lockout = await throttle.check("someone-else@example.com", "198.51.100.1")
    assert lockout is not None
    assert lockout.scopes == ("client",)
    assert await throttle.check("someone-else@example.com", "198.51.100.2") is None


async def test_the_retry_after_is_the_longer_lock_rounded_up(
    store: InMemoryAttemptStore, clock: FakeClock
) -> None:
    throttle = LoginThrottle(store)
    for _ in range(6):
        await throttle.record_failure("ada@example.com", None)
    for number in range(5):
        await throttle.record_failure(f"user{number}@example.com", "198.51.100.1")
    clock.advance(0.5)
    lockout = await throttle.check("ada@example.com", "198.51.100.1")
    assert lockout is not None
    assert lockout.retry_after == 120  # 119.5 s left on the account, rounded up
    assert set(lockout.scopes) == {"account", "client"}


async def test_success_clears_the_account_but_not_the_address(
    store: InMemoryAttemptStore,
) -> None:
    throttle = LoginThrottle(store)
    for _ in range(4):
        await throttle.record_failure("ada@example.com", "198.51.100.1")
    await throttle.record_success("ada@example.com")
    assert await throttle.record_failure("ada@example.com", "198.51.100.2") == 1
    # The address keeps its four failures: a fifth from it locks it.
    assert await throttle.record_failure("bob@example.com", "198.51.100.1") == 5
