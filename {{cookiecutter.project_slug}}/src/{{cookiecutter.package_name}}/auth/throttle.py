"""Login throttling: failed attempts counted per account and per client address.

After `max_failures` failures within `window_seconds`, a key is locked for `first_lock_seconds`;
each further failure once the lock has passed doubles it, up to `max_lock_seconds`. A key
forgets everything `window_seconds` after its lock ends, so no lockout is ever permanent, and
a successful login clears the account's key at once.

A login takes its attempt before any password is verified: `LoginThrottle.begin` checks the
locks and counts the attempt as a failure in one atomic step, so the attempt that reaches
`max_failures` locks the key before its own password check starts, and guesses sent at once
get no more checks than guesses sent one by one. A locked-out attacker cannot make the server
spend argon2 time. A failed attempt stays counted; a successful one clears the account's key
and is taken back from the client's key (`AttemptStore.refund`), so a success never counts
against an address. An attempt that ends in an error stays counted: failing closed.

Counters live in process (`InMemoryAttemptStore`) unless Redis is configured
(`RedisAttemptStore`), which every worker and replica then shares.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

Clock = Callable[[], float]

# Above this exponent the doubled lock exceeds any sensible cap; it keeps the integer small.
_MAX_DOUBLINGS = 20


@dataclass(frozen=True, slots=True)
class BackoffPolicy:
    max_failures: int = 5
    window_seconds: int = 15 * 60
    first_lock_seconds: int = 60
    max_lock_seconds: int = 15 * 60

    def lock_seconds(self, failures: int) -> int:
        """How long a key with `failures` counted failures stays locked (0: not locked)."""
        if failures < self.max_failures:
            return 0
        doublings = min(failures - self.max_failures, _MAX_DOUBLINGS)
        return min(self.first_lock_seconds << doublings, self.max_lock_seconds)

    def lock_schedule(self) -> list[int]:
        """Lock lengths from the `max_failures`-th failure on, ending with the cap."""
        schedule = [self.lock_seconds(self.max_failures)]
        while schedule[-1] < self.max_lock_seconds:
            schedule.append(self.lock_seconds(self.max_failures + len(schedule)))
        return schedule


@dataclass(frozen=True, slots=True)
class Reservation:
    """What `AttemptStore.reserve` did: counted the attempt on every key, or refused it."""

    # Failures now counted on each key, this attempt included; empty when it was refused.
    counts: tuple[int, ...]
    # Seconds each key stays locked; all 0 when the attempt was counted.
    lock_remaining: tuple[float, ...]

    @property
    def admitted(self) -> bool:
        return bool(self.counts)


class AttemptStore(Protocol):
    """Failure counters and locks by key. Implementations must count atomically."""

    async def lock_remaining(self, keys: Sequence[str]) -> list[float]:
        """Seconds each key stays locked, in order; 0 for a key that is not locked."""
        ...

    async def reserve(self, keys: Sequence[str], policy: BackoffPolicy) -> Reservation:
        """If no key is locked, count one failure on each as `add_failure` does; else nothing.

        The check and the counting are one atomic step: of attempts made at once, only as
        many as the count allows are admitted, and the one that locks a key refuses the rest.
        """
        ...

    async def add_failure(self, key: str, policy: BackoffPolicy) -> int:
        """Count one failure under `key`, lock it as `policy` says; return the new count."""
        ...

    async def refund(self, key: str, count: int, policy: BackoffPolicy) -> None:
        """Take back a reserved attempt that succeeded; `count` is what `reserve` returned.

        One failure fewer; and the lock goes if the count falls below `policy.max_failures`,
        or if no attempt was counted since this one (the key was unlocked when it was
        reserved, so the lock is the refunded attempt's own). Nothing when the key expired.
        """
        ...

    async def reset(self, key: str) -> None:
        """Forget the failures and any lock of `key`."""
        ...

    async def ping(self) -> bool:
        """True when the store answers; for the readiness check."""
        ...

    async def aclose(self) -> None: ...


@dataclass(slots=True)
class _Entry:
    failures: int
    expires_at: float
    locked_until: float


class InMemoryAttemptStore:
    """Counters in this process's memory: right for a single worker.

    Bounded: expired keys are dropped as new failures arrive, and past `max_keys` the least
    recently failed key is evicted, so a flood of made-up accounts cannot exhaust memory.
    """

    def __init__(self, *, max_keys: int = 100_000, clock: Clock = time.monotonic) -> None:
        self.max_keys = max_keys
        # Public so tests can move time; monotonic, so wall-clock changes cannot unlock a key.
        self.clock = clock
        self._entries: OrderedDict[str, _Entry] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    # No method awaits between reading and writing an entry: on the one event loop that owns
    # this store, each call is atomic.
    async def lock_remaining(self, keys: Sequence[str]) -> list[float]:
        return self._lock_remaining(keys, self.clock())

    async def reserve(self, keys: Sequence[str], policy: BackoffPolicy) -> Reservation:
        now = self.clock()
        remaining = self._lock_remaining(keys, now)
        if any(remaining):
            return Reservation(counts=(), lock_remaining=tuple(remaining))
        counts = tuple(self._add_failure(key, policy, now) for key in keys)
        return Reservation(counts=counts, lock_remaining=tuple(remaining))

    async def add_failure(self, key: str, policy: BackoffPolicy) -> int:
        return self._add_failure(key, policy, self.clock())

    async def refund(self, key: str, count: int, policy: BackoffPolicy) -> None:
        now = self.clock()
        entry = self._live(key, now)
        if entry is None:
            return
        latest = entry.failures == count
        entry.failures -= 1
        if entry.failures <= 0:
            del self._entries[key]
        elif latest or entry.failures < policy.max_failures:
            entry.locked_until = now

    def _lock_remaining(self, keys: Sequence[str], now: float) -> list[float]:
        remaining = []
        for key in keys:
            entry = self._live(key, now)
            remaining.append(max(entry.locked_until - now, 0.0) if entry else 0.0)
        return remaining

    def _add_failure(self, key: str, policy: BackoffPolicy, now: float) -> int:
        entry = self._live(key, now)
        if entry is None:
            # The window runs from the first failure: `max_failures` within it lock the key.
            entry = _Entry(failures=0, expires_at=now + policy.window_seconds, locked_until=now)
        entry.failures += 1
        lock = policy.lock_seconds(entry.failures)
        if lock:
            entry.locked_until = now + lock
            # Kept past the lock, so the next failure doubles it instead of starting over.
            entry.expires_at = now + lock + policy.window_seconds
        self._entries[key] = entry
        self._entries.move_to_end(key)
        self._evict(now)
        return entry.failures

    async def reset(self, key: str) -> None:
        self._entries.pop(key, None)

    def clear(self) -> None:
        self._entries.clear()

    async def ping(self) -> bool:
        return True

    async def aclose(self) -> None:
        self.clear()

    def _live(self, key: str, now: float) -> _Entry | None:
        entry = self._entries.get(key)
        if entry is not None and entry.expires_at <= now:
            del self._entries[key]
            return None
        return entry

    def _evict(self, now: float) -> None:
        # Least recently failed first: expired ones go, then the oldest while over the bound.
        while self._entries:
            oldest_key, oldest = next(iter(self._entries.items()))
            if oldest.expires_at > now and len(self._entries) <= self.max_keys:
                return
            del self._entries[oldest_key]


def account_key(email: str) -> str:
    """The account's key: a digest, so no email address is stored in the counter store."""
    return "account:" + hashlib.sha256(email.strip().lower().encode()).hexdigest()


def client_key(host: str) -> str:
    """The client's key: its IPv4 address, or its IPv6 /64 (one subscriber's usual share)."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return "client:" + host
    if address.version == 6:
        return f"client:{ipaddress.ip_network(f'{address}/64', strict=False)}"
    return f"client:{address}"


@dataclass(frozen=True, slots=True)
class Lockout:
    retry_after: int
    scopes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Attempt:
    """A login let through the throttle, already counted as a failure on each of its keys."""

    keys: tuple[str, ...]
    counts: tuple[int, ...]

    @property
    def failures(self) -> int:
        """The most failures counted on either key, this attempt included."""
        return max(self.counts)


class LoginThrottle:
    """The login policy over a store: which keys count, and when a login must wait."""

    def __init__(self, store: AttemptStore, policy: BackoffPolicy | None = None) -> None:
        self.store = store
        self.policy = policy or BackoffPolicy()

    async def check(self, email: str, client_host: str | None) -> Lockout | None:
        """The lock in force on this account or client, if any; None when a login may try."""
        keys = self._keys(email, client_host)
        return _lockout(keys, await self.store.lock_remaining(keys))

    async def begin(self, email: str, client_host: str | None) -> Attempt | Lockout:
        """Take a login attempt before its password is verified, or the lock that refuses it.

        The attempt counts as a failure from here on: the caller does nothing more when the
        login fails, and calls `record_success` with it when the login succeeds.
        """
        keys = self._keys(email, client_host)
        reservation = await self.store.reserve(keys, self.policy)
        if not reservation.admitted:
            lockout = _lockout(keys, reservation.lock_remaining)
            if lockout is None:
                raise RuntimeError(
                    f"{type(self.store).__name__}.reserve refused a login without reporting a "
                    "lock on any key; a store must refuse only while a key is locked."
                )
            return lockout
        return Attempt(keys=tuple(keys), counts=reservation.counts)

    async def record_failure(self, email: str, client_host: str | None) -> int:
        """Count a failed login outright; return the most failures now counted on either key.

        No lock is checked first: the login flow counts through `begin` instead.
        """
        counts = [
            await self.store.add_failure(key, self.policy) for key in self._keys(email, client_host)
        ]
        return max(counts)

    async def record_success(self, email: str, attempt: Attempt | None = None) -> None:
        """Clear the account's failures; give the client address back what `attempt` took."""
        account = account_key(email)
        await self.store.reset(account)
        if attempt is None:
            return
        for key, count in zip(attempt.keys, attempt.counts, strict=True):
            if key != account:
                await self.store.refund(key, count, self.policy)

    async def aclose(self) -> None:
        await self.store.aclose()

    @staticmethod
    def _keys(email: str, client_host: str | None) -> list[str]:
        keys = [account_key(email)]
        if client_host:
            keys.append(client_key(client_host))
        return keys


def _lockout(keys: Sequence[str], remaining: Sequence[float]) -> Lockout | None:
    locked = [(key, seconds) for key, seconds in zip(keys, remaining, strict=True) if seconds]
    if not locked:
        return None
    return Lockout(
        retry_after=math.ceil(max(seconds for _key, seconds in locked)),
        scopes=tuple(key.partition(":")[0] for key, _seconds in locked),
    )
