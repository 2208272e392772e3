"""Login throttling: failed attempts counted per account and per client address.

After `max_failures` failures within `window_seconds`, a key is locked for `first_lock_seconds`;
each further failure once the lock has passed doubles it, up to `max_lock_seconds`. A key
forgets everything `window_seconds` after its lock ends, so no lockout is ever permanent, and
a successful login clears the account's key at once.

Locked keys are refused before any password is verified, so a locked-out attacker cannot make
the server spend argon2 time. Counters live in process (`InMemoryAttemptStore`) unless Redis
is configured (`RedisAttemptStore`), which every worker and replica then shares.
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


class AttemptStore(Protocol):
    """Failure counters and locks by key. Implementations must count atomically."""

    async def lock_remaining(self, keys: Sequence[str]) -> list[float]:
        """Seconds each key stays locked, in order; 0 for a key that is not locked."""
        ...

    async def add_failure(self, key: str, policy: BackoffPolicy) -> int:
        """Count one failure under `key`, lock it as `policy` says; return the new count."""
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

    async def lock_remaining(self, keys: Sequence[str]) -> list[float]:
        now = self.clock()
        remaining = []
        for key in keys:
            entry = self._live(key, now)
            remaining.append(max(entry.locked_until - now, 0.0) if entry else 0.0)
        return remaining

    async def add_failure(self, key: str, policy: BackoffPolicy) -> int:
        now = self.clock()
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


class LoginThrottle:
    """The login policy over a store: which keys count, and when a login must wait."""

    def __init__(self, store: AttemptStore, policy: BackoffPolicy | None = None) -> None:
        self.store = store
        self.policy = policy or BackoffPolicy()

    async def check(self, email: str, client_host: str | None) -> Lockout | None:
        """The lock in force on this account or client, if any; None when a login may try."""
        keys = self._keys(email, client_host)
        remaining = await self.store.lock_remaining(keys)
        locked = [(key, seconds) for key, seconds in zip(keys, remaining, strict=True) if seconds]
        if not locked:
            return None
        return Lockout(
            retry_after=math.ceil(max(seconds for _key, seconds in locked)),
            scopes=tuple(key.partition(":")[0] for key, _seconds in locked),
        )

    async def record_failure(self, email: str, client_host: str | None) -> int:
        """Count a failed login; return the most failures now counted on either key."""
        counts = [
            await self.store.add_failure(key, self.policy) for key in self._keys(email, client_host)
        ]
        return max(counts)

    async def record_success(self, email: str) -> None:
        await self.store.reset(account_key(email))

    async def aclose(self) -> None:
        await self.store.aclose()

    @staticmethod
    def _keys(email: str, client_host: str | None) -> list[str]:
        keys = [account_key(email)]
        if client_host:
            keys.append(client_key(client_host))
        return keys
