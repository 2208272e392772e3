"""The login-failure counters in Redis, shared by every worker and replica.

Each change runs one Lua script, so the count, its expiry and the lock change together
atomically: a counter can never be left without an expiry, and two workers counting the same
key at once cannot lose a failure. A login's reservation is one script over the account's and
the address's keys: the lock check and the counting are a single round trip that no other
worker's attempt can interleave, so parallel guesses are admitted one by one, up to the lock.
The lock lengths come from `BackoffPolicy`, so the backoff is defined once, in Python.
"""

from __future__ import annotations

from collections.abc import Sequence

from redis.asyncio import Redis
from redis.exceptions import RedisError

from {{ cookiecutter.package_name }}.auth.throttle import BackoffPolicy, Reservation
from {{ cookiecutter.package_name }}.core.errors import DependencyUnavailable
from {{ cookiecutter.package_name }}.core.outages import REDIS, dependency_of

DEFAULT_PREFIX = "{{ cookiecutter.project_slug }}:login-throttle:"
# A login waits at most this long for Redis before it is refused with 503.
TIMEOUT_SECONDS = 2.0
UNAVAILABLE = (
    "Login is unavailable for a moment: the attempt counter cannot be reached. "
    "Retry after the time in the Retry-After header."
)

# Shared by the scripts that count. ARGV: window ms, failures that lock, lock ms for each
# failure from there.
_COUNT_FAILURE = """
local function count_failure(failures_key, lock_key)
  local failures = redis.call('INCR', failures_key)
  local window = tonumber(ARGV[1])
  if redis.call('PTTL', failures_key) < 0 then
    redis.call('PEXPIRE', failures_key, window)
  end
  local threshold = tonumber(ARGV[2])
  if failures >= threshold then
    local step = math.min(failures - threshold + 1, #ARGV - 2)
    local lock = tonumber(ARGV[step + 2])
    redis.call('SET', lock_key, '1', 'PX', lock)
    redis.call('PEXPIRE', failures_key, lock + window)
  end
  return failures
end
"""

# KEYS: failures, lock.
_RECORD_FAILURE = _COUNT_FAILURE + "return count_failure(KEYS[1], KEYS[2])"

# KEYS: failures and lock of each key in turn. Returns {1, count of each key} once counted, or
# {0, lock ms left on each key} when a key is locked, having counted nothing.
_RESERVE = (
    _COUNT_FAILURE
    + """
local waits = {0}
local locked = false
for i = 2, #KEYS, 2 do
  local wait = redis.call('PTTL', KEYS[i])
  if wait > 0 then locked = true else wait = 0 end
  waits[#waits + 1] = wait
end
if locked then
  return waits
end
local counts = {1}
for i = 1, #KEYS, 2 do
  counts[#counts + 1] = count_failure(KEYS[i], KEYS[i + 1])
end
return counts
"""
)

# KEYS: failures, lock. ARGV: the count the attempt's reservation returned, failures that lock.
# The rule is `AttemptStore.refund`'s. DECR keeps the counter's expiry.
_REFUND = """
local stored = redis.call('GET', KEYS[1])
if not stored or tonumber(stored) <= 0 then
  return 0
end
local latest = tonumber(stored) == tonumber(ARGV[1])
local failures = redis.call('DECR', KEYS[1])
if failures <= 0 then
  redis.call('DEL', KEYS[1], KEYS[2])
elseif latest or failures < tonumber(ARGV[2]) then
  redis.call('DEL', KEYS[2])
end
return failures
"""


class RedisAttemptStore:
    """An `AttemptStore` in Redis. It fails closed: when Redis is down, logins answer 503.

    Any other Redis error (a script error, a wrong type at a key) is a bug, raised as it is.
    """

    def __init__(self, client: Redis, *, prefix: str = DEFAULT_PREFIX) -> None:
        self._client = client
        self.prefix = prefix
        self._record_failure = client.register_script(_RECORD_FAILURE)
        self._reserve = client.register_script(_RESERVE)
        self._refund = client.register_script(_REFUND)

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

    async def reserve(self, keys: Sequence[str], policy: BackoffPolicy) -> Reservation:
        pairs = [(self._failures_key(key), self._lock_key(key)) for key in keys]
        try:
            admitted, *values = await self._reserve(
                keys=[name for pair in pairs for name in pair], args=_count_args(policy)
            )
        except RedisError as exc:
            raise _unavailable(exc) from None
        if int(admitted):
            return Reservation(
                counts=tuple(int(count) for count in values), lock_remaining=(0.0,) * len(keys)
            )
        return Reservation(counts=(), lock_remaining=tuple(int(ms) / 1000 for ms in values))

    async def add_failure(self, key: str, policy: BackoffPolicy) -> int:
        try:
            failures = await self._record_failure(
                keys=[self._failures_key(key), self._lock_key(key)], args=_count_args(policy)
            )
        except RedisError as exc:
            raise _unavailable(exc) from None
        return int(failures)

    async def refund(self, key: str, count: int, policy: BackoffPolicy) -> None:
        try:
            await self._refund(
                keys=[self._failures_key(key), self._lock_key(key)],
                args=[count, policy.max_failures],
            )
        except RedisError as exc:
            raise _unavailable(exc) from None

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

    # The key in braces is a Redis Cluster hash tag: a key's counter and lock share a slot.
    # A reservation's script spans the account's and the address's keys, so on a Redis
    # Cluster the prefix itself needs a hash tag ("{login-throttle}:") to keep them together.
    def _failures_key(self, key: str) -> str:
        return self.prefix + "{" + key + "}:failures"

    def _lock_key(self, key: str) -> str:
        return self.prefix + "{" + key + "}:lock"


def _count_args(policy: BackoffPolicy) -> list[int]:
    """The ARGV of the counting scripts: the window, the threshold and the lock schedule."""
    schedule_ms = [seconds * 1000 for seconds in policy.lock_schedule()]
    return [policy.window_seconds * 1000, policy.max_failures, *schedule_ms]


def _unavailable(exc: RedisError) -> Exception:
    """What to raise for `exc`: the 503 when Redis is out of reach, else `exc` itself (a bug).

    The 503 is logged once per interval where it is answered (core/outages.py); raised
    `from None`, since the Redis message can carry the host or the credentials.
    """
    if dependency_of(exc) != REDIS:
        return exc
    return DependencyUnavailable(REDIS, UNAVAILABLE, error_type=type(exc).__name__)
