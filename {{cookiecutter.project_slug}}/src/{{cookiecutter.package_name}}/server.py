"""The uvicorn server the `serve` command runs.

Two changes to uvicorn's shutdown, both for orchestrators and load balancers:

- **Readiness fails first.** SIGTERM marks the app's shutdown flag (core/shutdown.py) at once,
  so `/health/ready` answers 503. With `drain_seconds`, the server then keeps serving for that
  long, letting load balancers notice and stop routing here, before it closes its listening
  socket and gives the requests in flight `timeout_graceful_shutdown` seconds to finish. A
  second signal skips what is left of the wait.
- **Exit status 0.** uvicorn re-raises SIGTERM after its graceful shutdown, so the process ends
  "killed by signal" (exit 143) even when every request finished. Orchestrators and
  supervisors read that as a crash; this server ends with exit status 0 after a clean shutdown.

It also resumes the garbage collector `python -m` paused for start-up, once it listens
(startup.py).
"""

from __future__ import annotations

import signal
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

import structlog
import uvicorn

from {{ cookiecutter.package_name }}.core.shutdown import LIFESPAN_STATE_KEY, ShutdownState
from {{ cookiecutter.package_name }}.startup import resume_gc

logger = structlog.get_logger(__name__)


class GracefulServer(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, *, drain_seconds: float = 0) -> None:
        super().__init__(config)
        self.drain_seconds = drain_seconds
        self._drain_until: float | None = None
        self._drain_logged = False

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        # Built and listening: start-up's objects are here to stay (see startup.py).
        resume_gc()

    @contextmanager
    def capture_signals(self) -> Iterator[None]:
        with super().capture_signals():
            try:
                yield
            finally:
                # The shutdown already happened; do not re-deliver the signal to ourselves.
                self._captured_signals.clear()

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        # Runs as a signal handler: set flags only, no logging or I/O.
        self._mark_shutdown_begun()
        if sig == signal.SIGTERM and self.drain_seconds > 0 and self._drain_until is None:
            self._drain_until = time.monotonic() + self.drain_seconds
            return
        super().handle_exit(sig, frame)

    async def on_tick(self, counter: int) -> bool:
        if self._drain_until is not None and not self.should_exit:
            if not self._drain_logged:
                self._drain_logged = True
                logger.info("shutdown_draining", drain_seconds=self.drain_seconds)
            if time.monotonic() >= self._drain_until:
                self.should_exit = True
        return await super().on_tick(counter)

    def _mark_shutdown_begun(self) -> None:
        # The lifespan publishes the flag once start-up is done; a signal before that finds none.
        lifespan_state = getattr(getattr(self, "lifespan", None), "state", None)
        if isinstance(lifespan_state, dict):
            flag = lifespan_state.get(LIFESPAN_STATE_KEY)
            if isinstance(flag, ShutdownState):
                flag.begin()
