"""uvicorn's h11 protocol with bounded request heads (see limits.py and bounded_heads.py).

h11 bounds the size of a head that has not ended (`max_incomplete_event_size`) and marks that
error with the status hint 431, but passes a whole head of any size that arrives in one read;
so a head's bytes are counted as they are fed, as for httptools. The connection adds the
header count, tells the protocol when a head is complete, and keeps the hint, so the answer
is a 431 problem rather than uvicorn's plain 400.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, Literal

import h11
from uvicorn.config import Config
from uvicorn.protocols.http.h11_impl import H11Protocol, RequestResponseCycle
from uvicorn.server import ServerState

from {{ cookiecutter.package_name }}.http1.bounded_heads import BoundedHeadsMixin
from {{ cookiecutter.package_name }}.http1.limits import CLOSE_HEADER, HeadLimits


class BoundedConnection(h11.Connection):
    def __init__(self, limits: HeadLimits, on_head_complete: Callable[[], None]) -> None:
        super().__init__(h11.SERVER, max_incomplete_event_size=limits.max_bytes)
        self._max_headers = limits.max_headers
        self._on_head_complete = on_head_complete
        self.refusal: Literal["size", "count"] | None = None

    def next_event(self) -> h11.Event | type[h11.NEED_DATA] | type[h11.PAUSED]:
        try:
            event = super().next_event()
        except h11.RemoteProtocolError as exc:
            if exc.error_status_hint == 431:  # h11's "Receive buffer too long"
                self.refusal = "size"
            raise
        if isinstance(event, h11.Request):
            self._on_head_complete()
            if len(event.headers) > self._max_headers:
                self.refusal = "count"
                raise h11.RemoteProtocolError("too many headers", error_status_hint=431)
        return event

    def partial_head(self) -> bool:
        """Whether bytes of a request head that has not ended are waiting here."""
        return self.their_state is h11.IDLE and bool(self.trailing_data[0])


def _end_after(cycle: RequestResponseCycle) -> None:
    cycle.keep_alive = False
    if not cycle.response_started:
        cycle.default_headers = [*cycle.default_headers, CLOSE_HEADER]


class LimitedH11Protocol(BoundedHeadsMixin, H11Protocol):
    def __init__(
        self,
        config: Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        self.conn: BoundedConnection = BoundedConnection(self.head.limits, self.head.head_complete)
        # Set when the server drains or shuts down: the next answer ends the connection.
        self._last_request = False

    def _reading_head(self) -> bool:
        # h11 is IDLE from the start of each exchange until its request's head is complete.
        return self.conn.their_state is h11.IDLE

    def _head_started(self) -> bool:
        return self.conn.partial_head()

    def _between_requests(self) -> bool:
        return self.cycle is None or self.cycle.response_complete

    def handle_events(self) -> None:
        cycle = self.cycle
        super().handle_events()
        # A request that arrived after close_after_response: its task has not started yet.
        if self._last_request and self.cycle is not cycle and self.cycle is not None:
            _end_after(self.cycle)

    def send_400_response(self, msg: str) -> None:
        if self.conn.refusal == "size":
            self.head.refuse_size(self.transport, self.server_state.default_headers)
        elif self.conn.refusal == "count":
            self.head.refuse_count(self.transport, self.server_state.default_headers)
        else:
            super().send_400_response(msg)

    def close_after_response(self) -> None:
        self._last_request = True
        if self.cycle is not None and not self.cycle.response_complete:
            _end_after(self.cycle)
