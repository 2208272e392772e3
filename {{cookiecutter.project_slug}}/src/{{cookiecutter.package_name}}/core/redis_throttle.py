"""The login-failure counters in Redis, shared by every worker and replica.

Each failure runs one Lua script, so the count, its expiry and the lock change together
atomically: a counter can never be left without an expiry, and two workers counting the same
key at once cannot lose a failure. The lock lengths come from `BackoffPolicy`, so the backoff
is defined once, in Python.
"""

from __future__ import annotations

from collections.abc import Sequence

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError

from {{ cookiecutter.package_name }}.core.errors import ServiceUnavailable
from {{ cookiecutter.package_name }}.core.throttle import BackoffPolicy

DEFAULT_PREFIX = "{{ cookiecutter.project_slug }}:login-throttle:"
# A login waits at most this long for Redis before it is refused with 503.
TIMEOUT_SECONDS = 2.0
UNAVAILABLE = (
    "Login is unavailable for a moment: the attempt counter cannot be reached. Retry later."
)

# KEYS: failures, lock. ARGV: window ms, failures that lock, lock ms for each failure from there.
_RECORD_FAILURE = """
local failures = redis.call('INCR', KEYS[1])
local window = tonumber(ARGV[1])
if redis.call('PTTL', KEYS[1]) < 0 then
  redis.call('PEXPIRE', KEYS[1], window)
end
local threshold = tonumber(ARGV[2])
if failures >= threshold then
  local step = math.min(failures - threshold + 1, #ARGV - 2)
  local lock = tonumber(ARGV[step + 2])
  redis.call('SET', KEYS[2], '1', 'PX', lock)
  redis.call('PEXPIRE', KEYS[1], lock + window)
end
return failures
"""

logger = structlog.get_logger(__name__)


class RedisAttemptStore:
    """An `AttemptStore` in Redis. It fails closed: when Redis is down, logins answer 503."""

    def __init__(self, client: Redis, *, prefix: str = DEFAULT_PREFIX) -> None:
        self._client = client
        self.prefix = prefix
        self._record_failure = client.register_script(_RECORD_FAILURE)

    @classmethod
    def from_url(cls, url: str, *, prefix: str = DEFAULT_PREFIX) -> RedisAttemptStore:
        client = Redis.from_url(
            url, socket_timeout=TIMEOUT_SECONDS, socket_connect_timeout=TIMEOUT_SECONDS
        )
        return cls(client, prefix=prefix)

    async def lock_remaining(self, keys: Sequence[str]) -> list[float]:
        try:
            async with self._client.pipeline(transaction=False) as pipe:
                for key in keys:
                    pipe.pttl(self._lock_key(key))
                results: list[int] = await pipe.execute()
        except RedisError as exc:
            raise _unavailable(exc) from None
        # PTTL answers -2 for a missing key: not locked.
        return [max(milliseconds, 0) / 1000 for milliseconds in results]

    async def add_failure(self, key: str, policy: BackoffPolicy) -> int:
        schedule_ms = [seconds * 1000 for seconds in policy.lock_schedule()]
        try:
            failures = await self._record_failure(
                keys=[self._failures_key(key), self._lock_key(key)],
                args=[policy.window_seconds * 1000, policy.max_failures, *schedule_ms],
            )
        except RedisError as exc:
            raise _unavailable(exc) from None
        return int(failures)

    async def reset(self, key: str) -> None:
        try:
            await self._client.delete(self._failures_key(key), self._lock_key(key))
        except RedisError as exc:
            raise _unavailable(exc) from None

    async def ping(self) -> bool:
        try:
            return bool(await self._client.ping())
        except RedisError:
            return False

    async def aclose(self) -> None:
        await self._client.aclose()

    # The key in braces is a Redis Cluster hash tag: both keys of one script share a slot.
    def _failures_key(self, key: str) -> str:
        return self.prefix + "{" + key + "}:failures"

    def _lock_key(self, key: str) -> str:
        return self.prefix + "{" + key + "}:lock"


def _unavailable(exc: RedisError) -> ServiceUnavailable:
    # The error type only: a Redis message can carry the host or the credentials.
    logger.warning("throttle_store_unavailable", error_type=type(exc).__name__)
    return ServiceUnavailable(UNAVAILABLE)
