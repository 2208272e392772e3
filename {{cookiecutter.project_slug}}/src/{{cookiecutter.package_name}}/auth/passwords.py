"""Password hashing with argon2id, off the event loop.

Hashing is deliberately slow and memory-hard. Run inline it would stall every other request
on the worker; here it runs on a pool of its own threads, whose size bounds how many hashes
run at once so a burst of logins cannot exhaust memory. argon2 releases the GIL, so the event
loop keeps running meanwhile; and since the hashing threads run at a lower CPU priority, a
burst of logins cannot take the CPU from the requests the loop serves either.

argon2 itself is imported by the first hash or verification, not at start-up: a process that
serves no login never loads it.
"""

from __future__ import annotations

import asyncio
import base64
import os
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import cached_property
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from argon2 import PasswordHasher

# OWASP's argon2id recommendation: m=64 MiB, t=3, p=4 is above its floor (m=19 MiB, t=2, p=1).
DEFAULT_TIME_COST = 3
DEFAULT_MEMORY_COST_KIB = 64 * 1024
DEFAULT_PARALLELISM = 4
# Added to the niceness of the hashing threads (Linux, where niceness is per thread): the
# event loop thread wins the CPU whenever it has work, and logins share what is left.
HASHING_NICENESS = 10

ResultT = TypeVar("ResultT")


class PasswordHashing:
    def __init__(
        self,
        *,
        concurrency: int,
        time_cost: int = DEFAULT_TIME_COST,
        memory_cost_kib: int = DEFAULT_MEMORY_COST_KIB,
        parallelism: int = DEFAULT_PARALLELISM,
    ) -> None:
        self._time_cost = time_cost
        self._memory_cost_kib = memory_cost_kib
        self._parallelism = parallelism
        # Threads start on first use, so start-up computes no hash.
        self._pool = ThreadPoolExecutor(
            max_workers=concurrency,
            thread_name_prefix="password-hashing",
            initializer=lower_thread_priority,
        )

    # Built on first use, in a hashing thread. Two threads may race to build one; both results
    # are equivalent (same parameters; either random dummy matches nothing), and one is kept.
    @cached_property
    def _hasher(self) -> PasswordHasher:
        from argon2 import PasswordHasher  # noqa: PLC0415 - on first use, not at start-up

        return PasswordHasher(
            time_cost=self._time_cost,
            memory_cost=self._memory_cost_kib,
            parallelism=self._parallelism,
        )

    @cached_property
    def _dummy_hash(self) -> str:
        # Verified when the account does not exist, so an unknown email costs the same time
        # as a wrong password and cannot be told apart by timing.
        return unmatchable_hash(self._hasher)

    async def hash(self, password: str) -> str:
        return await self._run(self._hash_sync, password)

    async def verify(self, password_hash: str | None, password: str) -> bool:
        """True when `password` matches; verifies a dummy hash when there is no account."""
        matched = await self._run(self._verify_sync, password_hash, password)
        return matched and password_hash is not None

    def close(self) -> None:
        """Stop the hashing threads once the hashes in progress end; for the app's shutdown."""
        self._pool.shutdown(wait=False, cancel_futures=True)

    async def _run(self, function: Callable[..., ResultT], *args: str | None) -> ResultT:
        return await asyncio.get_running_loop().run_in_executor(self._pool, function, *args)

    def needs_rehash(self, password_hash: str) -> bool:
        return self._hasher.check_needs_rehash(password_hash)

    def _hash_sync(self, password: str) -> str:
        return self._hasher.hash(password)

    def _verify_sync(self, password_hash: str | None, password: str) -> bool:
        from argon2.exceptions import (  # noqa: PLC0415 - loaded along with the hasher
            InvalidHashError,
            VerificationError,
            VerifyMismatchError,
        )

        target = password_hash if password_hash is not None else self._dummy_hash
        try:
            return self._hasher.verify(target, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False


def unmatchable_hash(hasher: PasswordHasher) -> str:
    """An encoded argon2 hash with `hasher`'s parameters that no password matches.

    Verifying against it costs what verifying a real hash costs (the cost follows from the
    parameters in the string alone), and building it costs nothing: a random digest whose
    preimage nobody knows.
    """

    from argon2.low_level import ARGON2_VERSION  # noqa: PLC0415 - see the module docstring

    def encode(size: int) -> str:
        return base64.b64encode(os.urandom(size)).decode().rstrip("=")

    return (
        f"$argon2{hasher.type.name.lower()}$v={ARGON2_VERSION}"
        f"$m={hasher.memory_cost},t={hasher.time_cost},p={hasher.parallelism}"
        f"${encode(hasher.salt_len)}${encode(hasher.hash_len)}"
    )


def lower_thread_priority() -> None:
    """Make the calling thread yield the CPU to the event loop (Linux); elsewhere, no-op."""
    if sys.platform != "linux":
        return  # setpriority would change the whole process there, not one thread
    thread_id = threading.get_native_id()
    try:
        current = os.getpriority(os.PRIO_PROCESS, thread_id)
        os.setpriority(os.PRIO_PROCESS, thread_id, min(19, current + HASHING_NICENESS))
    except OSError:  # pragma: no cover - a sandbox may forbid it; hashing works regardless
        pass
