"""The backoff arithmetic, the in-memory counter store and the login policy over it."""

from __future__ import annotations

import asyncio

import pytest

from {{ cookiecutter.package_name }}.auth.throttle import (
    Attempt,
    BackoffPolicy,
    InMemoryAttemptStore,
    Lockout,
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


async def test_of_reservations_made_at_once_only_the_limit_is_admitted(
    store: InMemoryAttemptStore,
) -> None:
    reservations = await asyncio.gather(*(store.reserve(["k"], POLICY) for _ in range(20)))
    admitted = [reservation.counts for reservation in reservations if reservation.admitted]
    assert admitted == [(1,), (2,), (3,), (4,), (5,)]
    refused = [reservation for reservation in reservations if not reservation.admitted]
    assert [reservation.lock_remaining for reservation in refused] == [(60.0,)] * 15


async def test_a_refused_reservation_counts_nothing_on_any_key(
    store: InMemoryAttemptStore,
) -> None:
    await fail(store, "a", 5)
    reservation = await store.reserve(["a", "b"], POLICY)
    assert not reservation.admitted
    assert reservation.lock_remaining == (60.0, 0.0)
    assert await store.add_failure("b", POLICY) == 1
    assert await store.add_failure("a", POLICY) == 6


async def test_a_refund_takes_back_the_failure_and_the_lock_it_set(
    store: InMemoryAttemptStore,
) -> None:
    await fail(store, "k", 4)
    reservation = await store.reserve(["k"], POLICY)
    assert reservation.counts == (5,)
    assert await store.lock_remaining(["k"]) == [60.0]
    await store.refund("k", 5, POLICY)
    assert await store.lock_remaining(["k"]) == [0.0]
    assert await store.add_failure("k", POLICY) == 5


async def test_a_refund_past_a_lock_lifts_its_own_lock_but_not_a_later_one(
    store: InMemoryAttemptStore, clock: FakeClock
) -> None:
    await fail(store, "k", 5)
    clock.advance(60)
    # The key was unlocked when this attempt was reserved: the 2-minute lock is its own.
    assert (await store.reserve(["k"], POLICY)).counts == (6,)
    await store.refund("k", 6, POLICY)
    assert await store.lock_remaining(["k"]) == [0.0]
    # Counted again, then a later failure locks for 4 minutes: that lock is not the refund's.
    assert (await store.reserve(["k"], POLICY)).counts == (6,)
    await store.add_failure("k", POLICY)
    await store.refund("k", 6, POLICY)
    assert await store.lock_remaining(["k"]) == [240.0]


async def test_a_refund_of_the_only_failure_forgets_the_key(store: InMemoryAttemptStore) -> None:
    await store.reserve(["k"], POLICY)
    await store.refund("k", 1, POLICY)
    assert len(store) == 0


async def test_a_refund_after_the_key_expired_does_nothing(
    store: InMemoryAttemptStore, clock: FakeClock
) -> None:
    await store.reserve(["k"], POLICY)
    clock.advance(POLICY.window_seconds)
    await store.refund("k", 1, POLICY)
    assert len(store) == 0
    assert await store.add_failure("k", POLICY) == 1


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


async def test_an_attempt_counts_as_a_failure_from_the_moment_it_begins(
    store: InMemoryAttemptStore,
) -> None:
    throttle = LoginThrottle(store)
    for number in range(4):
        await throttle.record_failure(f"user{number}@example.com", "198.51.100.1")
    attempt = await throttle.begin("ada@example.com", "198.51.100.1")
    assert isinstance(attempt, Attempt)
    assert attempt.failures == 5
    # While its password is checked, the address is locked for everyone else.
    lockout = await throttle.check("bob@example.com", "198.51.100.1")
    assert lockout is not None
    assert lockout.scopes == ("client",)


async def test_a_successful_attempt_counts_nothing_against_its_address(
    store: InMemoryAttemptStore,
) -> None:
    throttle = LoginThrottle(store)
    for number in range(4):
        await throttle.record_failure(f"user{number}@example.com", "198.51.100.1")
    attempt = await throttle.begin("ada@example.com", "198.51.100.1")
    assert isinstance(attempt, Attempt)
    await throttle.record_success("ada@example.com", attempt)
    assert await throttle.check("bob@example.com", "198.51.100.1") is None
    # The address keeps its four failures, and only those.
    assert await throttle.record_failure("bob@example.com", "198.51.100.1") == 5
    assert await throttle.record_failure("ada@example.com", "198.51.100.2") == 1


async def test_a_locked_attempt_is_refused_with_the_lockout_and_counts_nothing(
    store: InMemoryAttemptStore,
) -> None:
    throttle = LoginThrottle(store)
    for number in range(5):
        await throttle.record_failure("ada@example.com", f"198.51.100.{number}")
    refused = await throttle.begin("ADA@example.com", "203.0.113.1")
    assert refused == Lockout(retry_after=60, scopes=("account",))
    assert await throttle.record_failure("bob@example.com", "203.0.113.1") == 1
