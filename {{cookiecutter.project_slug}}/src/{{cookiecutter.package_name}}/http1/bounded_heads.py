"""What both bounded protocols do around their parser: a head's budget, deadline and shutdown.

uvicorn's h11 and httptools protocols take a connection's bytes the same way, so the bounds of
limits.py are applied here once: a head's bytes reach the parser only within its size budget,
its deadline runs from the connection opening or the head's first byte, and a shutdown loses
no request that is on its way. Each protocol says only what its own parser knows: whether a
head is being read, whether one has started, and whether the connection is between requests.
"""

from __future__ import annotations

import asyncio
from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any

from uvicorn.config import Config
from uvicorn.server import ServerState

from {{ cookiecutter.package_name }}.http1.limits import HeadGuard, limits_of

if TYPE_CHECKING:

    class _UvicornHTTP(asyncio.Protocol):
        """What the mixin uses of the uvicorn protocol it is mixed into (both have all of it).

        For the type checker only: at run time the mixin's `super()` is that uvicorn protocol,
        next in the bounded protocol's bases, and a real class declaring these would come
        between the two and hide uvicorn's methods.
        """

        loop: asyncio.AbstractEventLoop
        transport: asyncio.Transport
        server_state: ServerState

        def __init__(
            self,
            config: Config,
            server_state: ServerState,
            app_state: dict[str, Any],
            _loop: asyncio.AbstractEventLoop | None = None,
        ) -> None: ...

        def shutdown(self) -> None: ...

else:
    _UvicornHTTP = asyncio.Protocol


class BoundedHeadsMixin(_UvicornHTTP, ABC):
    """Goes before uvicorn's protocol in a bounded protocol's bases."""

    def __init__(
        self,
        config: Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        self.head = HeadGuard(limits_of(config), self.loop, self._head_timed_out)

    @abstractmethod
    def _reading_head(self) -> bool:
        """Whether the next bytes are (part of) a request head rather than a body."""

    @abstractmethod
    def _head_started(self) -> bool:
        """Whether bytes of a request head that has not ended are waiting in the parser."""

    @abstractmethod
    def _between_requests(self) -> bool:
        """Whether no request is in progress: none read, or its answer complete."""

    @abstractmethod
    def close_after_response(self) -> None:
        """End the connection after the answer in progress, or else after the next one."""

    # Narrowed to the stream transports a server is given, as uvicorn's protocols do.
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.head.start_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self.head.connection_lost()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        # Fed in pieces while a head is read, so the parser never holds more of one than the
        # bound: httptools bounds no head, and h11 only one that has not ended, not a whole
        # one that arrived in one read.
        while data and not self.head.refused:
            if self._reading_head():
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
                return  # closed, or handed over to the WebSocket protocol

    def shutdown(self) -> None:
        # uvicorn closes every connection without a request in progress; one whose head is
        # arriving, or that was opened a moment ago to send one, would lose it. Answer that
        # request instead, then close.
        if self.transport.is_closing():
            return
        if self._between_requests():
            if self._head_started():
                self.close_after_response()
                return
            fresh_for = self.head.fresh_for()
            if fresh_for > 0:
                self.close_after_response()
                self.loop.call_later(fresh_for, self.shutdown)  # then idle, or arriving
                return
        super().shutdown()

    def _head_timed_out(self) -> None:
        if self.transport.is_closing():
            return
        if not self._between_requests():
            # A pipelined head stalled behind an answer still in progress: end after it.
            self.close_after_response()
        elif self._head_started():
            self.head.refuse_timeout(self.transport, self.server_state.default_headers)
        else:
            self.transport.close()  # nothing was asked, so nothing is answered
