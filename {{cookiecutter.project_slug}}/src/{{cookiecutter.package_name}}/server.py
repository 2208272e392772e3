"""The uvicorn server the `serve` command runs.

uvicorn re-raises SIGTERM after its graceful shutdown, so the process ends "killed by signal"
(exit 143) even when every request finished. Orchestrators and supervisors read that as a
crash; this server ends with exit status 0 after a clean shutdown instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn


class GracefulServer(uvicorn.Server):
    @contextmanager
    def capture_signals(self) -> Iterator[None]:
        with super().capture_signals():
            try:
                yield
            finally:
                # The shutdown already happened; do not re-deliver the signal to ourselves.
                self._captured_signals.clear()
