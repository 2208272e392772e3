{% if cookiecutter.auth_provider == "local" -%}
"""Pieces of the request hot path: password hashing off the loop, the idle-connection ping."""
{%- else -%}
"""A piece of the request hot path: the idle-connection ping."""
{%- endif %}

from __future__ import annotations
{%- if cookiecutter.auth_provider == "local" %}

import os
import sys
import threading
import time
from typing import Any

import pytest
from argon2 import PasswordHasher, extract_parameters
from sqlalchemy import exc

from {{ cookiecutter.package_name }}.auth.passwords import (
    HASHING_NICENESS,
    PasswordHashing,
    lower_thread_priority,
    unmatchable_hash,
)
{% else %}

import time
from typing import Any

import pytest
from sqlalchemy import exc

{% endif %}from {{ cookiecutter.package_name }}.core.db.engine import _ping_if_idle, _record_checkin
{%- if cookiecutter.auth_provider == "local" %}


def test_the_dummy_hash_has_the_hashers_cost_and_matches_nothing() -> None:
    hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
    dummy = unmatchable_hash(hasher)
    assert extract_parameters(dummy) == extract_parameters(hasher.hash("x"))
    assert not hasher.check_needs_rehash(dummy)
    assert dummy != unmatchable_hash(hasher)
{%- endif %}
{%- if cookiecutter.auth_provider == "local" %}


async def test_an_unknown_account_is_verified_against_the_dummy_and_fails(
    passwords: PasswordHashing,
) -> None:
    assert await passwords.verify(None, "any password") is False
    real = await passwords.hash("correct horse")
    assert await passwords.verify(real, "correct horse") is True
{%- endif %}
{%- if cookiecutter.auth_provider == "local" %}


@pytest.mark.skipif(sys.platform != "linux", reason="niceness is per thread on Linux only")
def test_hashing_threads_run_at_a_lower_priority() -> None:
    seen: list[int] = []

    def run() -> None:
        lower_thread_priority()
        seen.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))

    before = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert seen == [min(19, before + HASHING_NICENESS)]
    # Only that thread: the caller keeps its priority.
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == before
{%- endif %}
{%- if cookiecutter.auth_provider == "local" %}


async def test_a_closed_hashing_pool_takes_no_more_work() -> None:
    hashing = PasswordHashing(concurrency=1, time_cost=2, memory_cost_kib=19 * 1024, parallelism=1)
    hashing.close()
    with pytest.raises(RuntimeError):
        await hashing.hash("too late")
{%- endif %}


class FakeRecord:
    def __init__(self) -> None:
        self.info: dict[str, Any] = {}


class FakeDialect:
    def __init__(self, *, fails: bool = False) -> None:
        self.pings = 0
        self.fails = fails

    def do_ping(self, _connection: object) -> bool:
        self.pings += 1
        if self.fails:
            raise OSError("connection reset")
        return True


def ping(dialect: FakeDialect, record: FakeRecord, idle_seconds: float = 10.0) -> None:
    _ping_if_idle(dialect, object(), record, idle_seconds)  # type: ignore[arg-type]


def test_a_fresh_or_busy_connection_is_not_pinged() -> None:
    dialect, record = FakeDialect(), FakeRecord()
    ping(dialect, record)  # never checked in: fresh from connect()
    _record_checkin(None, record)  # type: ignore[arg-type]
    ping(dialect, record)  # returned a moment ago
    assert dialect.pings == 0


def test_a_connection_idle_too_long_is_pinged_and_replaced_when_dead() -> None:
    record = FakeRecord()
    record.info["checked_in_at"] = time.monotonic() - 60
    alive = FakeDialect()
    ping(alive, record)
    assert alive.pings == 1
    with pytest.raises(exc.DisconnectionError):
        ping(FakeDialect(fails=True), record)
