"""uvicorn's h11 protocol with bounded request heads (see limits.py).

h11 bounds the size of a head that has not ended (`max_incomplete_event_size`) and marks that
error with the status hint 431, but passes a whole head of any size that arrives in one read;
so the protocol counts a head's bytes as it feeds them, as the httptools one does. The
connection adds the header count, tells the protocol when a head is complete, and keeps the
hint, so the answer is a 431 problem rather than uvicorn's plain 400.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, Literal

import h11
from uvicorn.config import Config
from uvicorn.protocols.http.h11_impl import H11Protocol, RequestResponseCycle
from uvicorn.server import ServerState

from {{ cookiecutter.package_name }}.http1.limits import CLOSE_HEADER, HeadGuard, HeadLimits, limits_of


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


class LimitedH11Protocol(H11Protocol):
    def __init__(
        self,
        config: Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        self.head = HeadGuard(limits_of(config), self.loop, self._head_timed_out)
        self.conn: BoundedConnection = BoundedConnection(self.head.limits, self.head.head_complete)
        # Set when the server drains or shuts down: the next answer ends the connection.
        self._last_request = False

    def connection_made(  # type: ignore[override]
        self, transport: asyncio.Transport
    ) -> None:
        super().connection_made(transport)
        self.head.start_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self.head.connection_lost()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        # Fed in pieces while a head is read: h11's own bound applies only to a head that
        # has not ended, and a whole one that arrived in one read would pass it.
        while data and not self.head.refused:
            if self.conn.their_state is h11.IDLE:
                room = self.head.limits.max_bytes - self.head.bytes
                if room <= 0:
                    self.head.refuse_size(self.transport, self.server_state.default_headers)
                    return
                self.head.start_timer()
                piece, data = data[:room], data[room:]
                self.head.bytes += len(piece)
            else:
                piece, data = data, b""
            super().data_received(piece)
            if self.transport.is_closing() or self.transport.get_protocol() is not self:
                return

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

    def shutdown(self) -> None:
        # uvicorn closes every connection without a request in progress; one whose head is
        # arriving, or that was opened a moment ago to send one, would lose it. Answer that
        # request instead, then close.
        if self.transport.is_closing():
            return
        if self._between_requests():
            if self.conn.partial_head():
                self.close_after_response()
                return
            fresh_for = self.head.fresh_for()
            if fresh_for > 0:
                self.close_after_response()
                self.loop.call_later(fresh_for, self.shutdown)  # then idle, or arriving
                return
        super().shutdown()

    def _between_requests(self) -> bool:
        return self.cycle is None or self.cycle.response_complete

    def _head_timed_out(self) -> None:
        if self.transport.is_closing():
            return
        if not self._between_requests():
            # A pipelined head stalled behind an answer still in progress: end after it.
            self.close_after_response()
        elif self.conn.partial_head():
            self.head.refuse_timeout(self.transport, self.server_state.default_headers)
        else:
            self.transport.close()  # nothing was asked, so nothing is answered
