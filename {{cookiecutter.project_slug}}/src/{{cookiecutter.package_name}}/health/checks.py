"""Dependency checks run at once and time-boxed together, so readiness answers on time.

Run one after another, each with its own timeout, the checks' times add up: a stalled
database and a stalled Redis would keep a probe waiting for both timeouts, past the probe's
own, and the orchestrator would see a timeout instead of a 503. Here every check starts at
once and the answer is given when the bound is up, whatever a check still waits for.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from typing import Literal, NamedTuple

Outcome = Literal["ok", "failed", "timed_out"]
Check = Callable[[], Awaitable[object]]


class CheckResult(NamedTuple):
    outcome: Outcome
    # The failure's type, for the log: never its message, which can carry a host or password.
    error_type: str | None = None


# A check still running when the answer is given is cancelled; a reference is kept until it
# has finished (its cleanup can take a moment), or the loop could collect it mid-way.
_finishing: set[asyncio.Task[object]] = set()


async def run_checks(checks: Mapping[str, Check], seconds: float) -> dict[str, CheckResult]:
    """Each check's outcome within `seconds`: a check passes by returning."""
    tasks = {
        name: asyncio.create_task(_run(check), name=f"readiness:{name}")
        for name, check in checks.items()
    }
    try:
        await asyncio.wait(tasks.values(), timeout=seconds)
    finally:
        # Cancelled here without being awaited: waiting for a check to wind down is what
        # the bound is there to avoid.
        for task in tasks.values():
            if not task.done():
                task.cancel()
                _finishing.add(task)
                task.add_done_callback(_finished)
    return {name: _result(task) for name, task in tasks.items()}


async def _run(check: Check) -> object:
    return await check()


def _result(task: asyncio.Task[object]) -> CheckResult:
    if not task.done() or task.cancelled():
        return CheckResult("timed_out")
    error = task.exception()
    if error is None:
        return CheckResult("ok")
    outcome: Outcome = "timed_out" if isinstance(error, TimeoutError) else "failed"
    return CheckResult(outcome, type(error).__name__)


async def wait_for_abandoned(seconds: float) -> None:
    """Give the checks cancelled at the bound up to `seconds` to wind down.

    Called before the engine is disposed at shutdown, so a connection a check was still
    opening is closed by its own cleanup rather than cut off under it.
    """
    if _finishing:
        await asyncio.wait(list(_finishing), timeout=seconds)


def _finished(task: asyncio.Task[object]) -> None:
    _finishing.discard(task)
    if not task.cancelled():
        task.exception()  # retrieved, so asyncio does not log it as never retrieved
