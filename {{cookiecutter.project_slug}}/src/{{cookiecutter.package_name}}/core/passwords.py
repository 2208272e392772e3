"""Password hashing with argon2id, off the event loop.

Hashing is deliberately slow and memory-hard. Run inline it would stall every other request
on the worker; here it runs in a thread, and a semaphore bounds how many hashes run at once so
a burst of logins cannot exhaust memory.
"""

from __future__ import annotations

import anyio
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

# OWASP's argon2id recommendation: m=64 MiB, t=3, p=4 is above its floor (m=19 MiB, t=2, p=1).
DEFAULT_TIME_COST = 3
DEFAULT_MEMORY_COST_KIB = 64 * 1024
DEFAULT_PARALLELISM = 4


class PasswordHashing:
    def __init__(
        self,
        *,
        concurrency: int,
        time_cost: int = DEFAULT_TIME_COST,
        memory_cost_kib: int = DEFAULT_MEMORY_COST_KIB,
        parallelism: int = DEFAULT_PARALLELISM,
    ) -> None:
        self._hasher = PasswordHasher(
            time_cost=time_cost, memory_cost=memory_cost_kib, parallelism=parallelism
        )
        self._limiter = anyio.CapacityLimiter(concurrency)
        # Verified when the account does not exist, so an unknown email costs the same time
        # as a wrong password and cannot be told apart by timing.
        self._dummy_hash = self._hasher.hash("dummy password for timing equalisation")

    async def hash(self, password: str) -> str:
        return await anyio.to_thread.run_sync(self._hasher.hash, password, limiter=self._limiter)

    async def verify(self, password_hash: str | None, password: str) -> bool:
        """True when `password` matches; verifies a dummy hash when there is no account."""
        target = password_hash if password_hash is not None else self._dummy_hash
        matched = await anyio.to_thread.run_sync(
            self._verify_sync, target, password, limiter=self._limiter
        )
        return matched and password_hash is not None

    def needs_rehash(self, password_hash: str) -> bool:
        return self._hasher.check_needs_rehash(password_hash)

    def _verify_sync(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False
