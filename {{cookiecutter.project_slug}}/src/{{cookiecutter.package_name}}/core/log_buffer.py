"""Access lines gathered during one turn of the event loop and written to stderr together.

Writing each access line on its own costs a system call per request, and under load that was
the largest single cost of the cheapest answers (about 8 µs of the liveness answer's 56 µs of
CPU, measured at the server; docs/adr/0007-request-hot-path.md). A turn of the event loop
handles every connection that became ready at once, so its lines go out in one write, at the
start of the next turn: a line waits microseconds, never for more requests to come.

Nothing is reordered or lost on the way:

- every other writer to stderr (the structlog pipeline, the standard library's handler) writes
  through `write_now()`, which puts the waiting lines first, so lines keep the order in which
  they were logged;
- a line logged outside a running event loop (a command, a test) is written at once;
- lines left when a loop stops without another turn go out with the next line, or at exit.
  A process killed outright (SIGKILL, out of memory) can lose the lines of its last turn.
"""

from __future__ import annotations

import asyncio
import atexit
import sys
import threading


class LineBuffer:
    """Lines to write to the current `sys.stderr`, once per event-loop turn."""

    __slots__ = ("_lines", "_lock", "_scheduled_on")

    def __init__(self) -> None:
        self._lines: list[str] = []
        # Other threads log too (password hashing, the standard library); the swap in
        # `flush` and the append here must not interleave.
        self._lock = threading.Lock()
        self._scheduled_on: asyncio.AbstractEventLoop | None = None

    def write(self, line: str) -> None:
        """Write `line` (no newline) with the others of this turn, or now outside a loop."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.write_now(line)
            return
        with self._lock:
            self._lines.append(line)
            if self._scheduled_on is loop:
                return
            self._scheduled_on = loop
        loop.call_soon(self.flush)

    def write_now(self, line: str) -> None:
        """Write `line` (no newline) at once, after the lines still waiting: for every other
        writer to stderr, so the order of lines is the order they were logged in."""
        self.flush()
        _write(line + "\n")

    def flush(self) -> None:
        """Write every line gathered so far, in order."""
        with self._lock:
            if not self._lines:
                self._scheduled_on = None
                return
            lines, self._lines = self._lines, []
            self._scheduled_on = None
        _write("\n".join(lines) + "\n")


def _write(text: str) -> None:
    # The stream of the moment, not of start-up: test runners and supervisors replace it.
    stream = sys.stderr
    stream.write(text)
    stream.flush()


ACCESS_LINES = LineBuffer()
atexit.register(ACCESS_LINES.flush)
