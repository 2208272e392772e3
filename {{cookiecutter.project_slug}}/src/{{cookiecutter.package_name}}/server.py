"""The uvicorn server the `serve` command runs.

Three changes to uvicorn's shutdown, all for orchestrators, load balancers and their clients:

- **Readiness fails first.** SIGTERM marks the app's shutdown flag (core/http/shutdown.py) at once,
  so `/health/ready` answers 503. With `drain_seconds`, the server then keeps serving for that
  long, letting load balancers notice and stop routing here, before it closes its listening
  socket and gives the requests in flight `timeout_graceful_shutdown` seconds to finish. A
  second signal skips what is left of the wait.
- **No connection is dropped under a client while draining.** From SIGTERM on, every answer
  says `Connection: close` and ends its connection, and a request in flight at that moment
  ends its connection too; a connection waiting between requests stays open until its next
  request (answered, then closed) or its keep-alive timeout. A client that reuses connections
  so never sends on one the server is about to close. When the drain ends, a connection whose
  request head is still arriving, or opened a moment ago, gets its answer before it closes
  (http1/).
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

from {{ cookiecutter.package_name }}.core.http.shutdown import LIFESPAN_STATE_KEY, ShutdownState
from {{ cookiecutter.package_name }}.http1.limits import CLOSE_HEADER, EndsAfterResponse
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
            self._answer_with_connection_close()
            return
        super().handle_exit(sig, frame)

    async def on_tick(self, counter: int) -> bool:
        if self._drain_until is not None and not self.should_exit:
            if not self._drain_logged:
                self._drain_logged = True
                logger.info("shutdown_draining", drain_seconds=self.drain_seconds)
                self._end_connections_after_their_answer()
            if time.monotonic() >= self._drain_until:
                self.should_exit = True
        should_exit = await super().on_tick(counter)
        if self._drain_until is not None:
            # uvicorn rebuilds the default headers (for `date`) every second.
            self._answer_with_connection_close()
        return should_exit

    def _answer_with_connection_close(self) -> None:
        # Every answer that starts from now on carries it, and both parsers close after it.
        headers = self.server_state.default_headers
        if CLOSE_HEADER not in headers:
            self.server_state.default_headers = [*headers, CLOSE_HEADER]

    def _end_connections_after_their_answer(self) -> None:
        # Requests already in flight (their answer may not have started) end their connection
        # too; idle connections are left to their next request or their keep-alive timeout,
        # since closing one could race a request the client is sending on it.
        for connection in list(self.server_state.connections):
            if isinstance(connection, EndsAfterResponse):
                connection.close_after_response()

    def _mark_shutdown_begun(self) -> None:
        # The lifespan publishes the flag once start-up is done; a signal before that finds none.
        lifespan_state = getattr(getattr(self, "lifespan", None), "state", None)
        if isinstance(lifespan_state, dict):
            flag = lifespan_state.get(LIFESPAN_STATE_KEY)
            if isinstance(flag, ShutdownState):
                flag.begin()
