"""The JSON access line, rendered by hand: the one log line every request writes.

It holds what structlog's JSON pipeline would write for it (`core/logging.py`): the fields,
then the request's context variables (the request id), the level, the logger name and an
ISO-8601 UTC timestamp, secrets redacted by the same function, keys in the same order. What
it skips is the generic machinery around that: a chain of processors, the standard library's
JSON encoder (built anew on every call, and several times slower than pydantic-core's), a
`datetime` made and formatted in full each time. Under load those cost the cheapest request a
fifth of its time. Lines are written once per event-loop turn (`core/log_buffer.py`). The
line is compact JSON (no space after `:` and `,`) and keeps non-ASCII text as UTF-8; any JSON
reader sees the same object. The console format, for development, keeps structlog's renderer.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Protocol

from pydantic_core import to_json
from structlog.contextvars import get_contextvars
from structlog.types import EventDict

from {{ cookiecutter.package_name }}.core.log_buffer import ACCESS_LINES

Redact = Callable[[Any, str, EventDict], EventDict]


class AccessLogger(Protocol):
    """What the middleware calls: structlog's bound loggers fit, and so does `JsonAccessLogger`."""

    def info(self, event: str, **fields: object) -> object: ...


def _fallback(value: object) -> object:
    # As structlog's JSON renderer does: a value's own log form if it has one, else its repr.
    try:
        return value.__structlog__()  # type: ignore[attr-defined]
    except AttributeError:
        return repr(value)


class UtcStamper:
    """`2026-01-31T12:00:00.123456Z`, as structlog's ISO UTC stamper writes it.

    The date and time up to the second are formatted once per second, not once per line.
    """

    __slots__ = ("_prefix", "_second")

    def __init__(self) -> None:
        self._second = -1
        self._prefix = ""

    def __call__(self, now_ns: int | None = None) -> str:
        second, nanos = divmod(time.time_ns() if now_ns is None else now_ns, 1_000_000_000)
        if second != self._second:
            self._second = second
            self._prefix = datetime.fromtimestamp(second, UTC).strftime("%Y-%m-%dT%H:%M:%S")
        micro = nanos // 1000
        # datetime.isoformat leaves the fraction out when it is zero; so does this.
        return f"{self._prefix}.{micro:06d}Z" if micro else f"{self._prefix}Z"


class JsonAccessLogger:
    """Writes the access line to the current `sys.stderr`, when INFO lines are enabled.

    Lines logged during one turn of the event loop are written together (`ACCESS_LINES`).
    """

    __slots__ = ("_enabled", "_name", "_redact", "_stamp")

    def __init__(self, name: str, *, enabled: bool, redact: Redact) -> None:
        self._name = name
        self._enabled = enabled
        self._redact = redact
        self._stamp = UtcStamper()

    def info(self, event: str, **fields: object) -> None:
        if not self._enabled:
            return
        # The call's own keyword dict, filled in place in the pipeline's key order.
        event_dict: EventDict = fields
        event_dict["event"] = event
        for key, value in get_contextvars().items():
            event_dict.setdefault(key, value)
        event_dict["level"] = "info"
        event_dict["logger"] = self._name
        event_dict["timestamp"] = self._stamp()
        line = to_json(self._redact(None, "info", event_dict), fallback=_fallback).decode()
        # With the other lines of this event-loop turn, in one write (core/log_buffer.py).
        ACCESS_LINES.write(line)
