"""uvicorn's httptools protocol with bounded request heads (see limits.py).

httptools collects each header whole before handing it over, so the size bound cannot wait
for a header callback: the bytes of a head are counted as they are fed to the parser, which
never gets more than the bound's worth of a head that has not ended.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.config import Config
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.server import ServerState

from {{ cookiecutter.package_name }}.http1.limits import HeadGuard, limits_of


class TooManyHeadersError(Exception):
    """Raised in a parser callback to stop parsing a head with too many headers."""


class LimitedHttpToolsProtocol(HttpToolsProtocol):
    def __init__(
        self,
        config: Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        self.head = HeadGuard(limits_of(config), self.loop, self._head_timed_out)
        # Between requests and within a head, as opposed to within a body.
        self._reading_head = True
        self._too_many_headers = False
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
        if self.head.refused:
            return
        while data:
            if self._reading_head:
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
            if self._stopped_reading():
                return

    def _stopped_reading(self) -> bool:
        # Refused, closed, or handed over to the WebSocket protocol.
        return (
            self.head.refused
            or self.parser is None
            or self.transport.is_closing()
            or self.transport.get_protocol() is not self
        )

    def on_header(self, name: bytes, value: bytes) -> None:
        super().on_header(name, value)
        self.head.headers += 1
        if self.head.headers > self.head.limits.max_headers:
            self._too_many_headers = True
            raise TooManyHeadersError  # the parser fails, and send_400_response answers 431

    def on_headers_complete(self) -> None:
        self._reading_head = False
        self.head.head_complete()
        super().on_headers_complete()
        if self._last_request and self.cycle is not None:
            self.cycle.keep_alive = False  # uvicorn then answers with `connection: close`

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._reading_head = True

    def send_400_response(self, msg: str) -> None:
        if self._too_many_headers:
            self.head.refuse_count(self.transport, self.server_state.default_headers)
            return
        super().send_400_response(msg)

    def close_after_response(self) -> None:
        self._last_request = True
        if self.cycle is not None and not self.cycle.response_complete:
            self.cycle.keep_alive = False

    def shutdown(self) -> None:
        # uvicorn closes every connection without a request in progress; one whose head is
        # arriving, or that was opened a moment ago to send one, would lose it. Answer that
        # request instead, then close.
        if self.transport.is_closing():
            return
        if self._between_requests():
            if self.head.bytes > 0:
                self.close_after_response()
                return
            fresh_for = self.head.fresh_for()
            if fresh_for > 0:
                self.close_after_response()
                self.loop.call_later(fresh_for, self.shutdown)  # then idle, or arriving
                return
        super().shutdown()

    def _between_requests(self) -> bool:
        return self._reading_head and (self.cycle is None or self.cycle.response_complete)

    def _head_timed_out(self) -> None:
        if self.transport.is_closing():
            return
        if not self._between_requests():
            # A pipelined head stalled behind an answer still in progress: end after it.
            self.close_after_response()
        elif self.head.bytes > 0:
            self.head.refuse_timeout(self.transport, self.server_state.default_headers)
        else:
            self.transport.close()  # nothing was asked, so nothing is answered
