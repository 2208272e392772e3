"""uvicorn's httptools protocol with bounded request heads (see limits.py and bounded_heads.py).

httptools collects each header whole before handing it over, so the size bound cannot wait
for a header callback: the bytes of a head are counted as they are fed to the parser, which
never gets more than the bound's worth of a head that has not ended. The header count is
kept in the parser's callbacks, which also say where a head ends.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.config import Config
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.server import ServerState

from {{ cookiecutter.package_name }}.http1.bounded_heads import BoundedHeadsMixin


class TooManyHeadersError(Exception):
    """Raised in a parser callback to stop parsing a head with too many headers."""


class LimitedHttpToolsProtocol(BoundedHeadsMixin, HttpToolsProtocol):
    def __init__(
        self,
        config: Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        # Between requests and within a head, as opposed to within a body; httptools keeps
        # no state the protocol can read, so its callbacks keep this.
        self._in_head = True
        self._too_many_headers = False
        # Set when the server drains or shuts down: the next answer ends the connection.
        self._last_request = False

    def _reading_head(self) -> bool:
        return self._in_head

    def _head_started(self) -> bool:
        # Counted only while reading a head, and reset when one completes.
        return self.head.bytes > 0

    def _between_requests(self) -> bool:
        return self._in_head and (self.cycle is None or self.cycle.response_complete)

    def on_header(self, name: bytes, value: bytes) -> None:
        super().on_header(name, value)
        self.head.headers += 1
        if self.head.headers > self.head.limits.max_headers:
            self._too_many_headers = True
            raise TooManyHeadersError  # the parser fails, and send_400_response answers 431

    def on_headers_complete(self) -> None:
        self._in_head = False
        self.head.head_complete()
        super().on_headers_complete()
        if self._last_request and self.cycle is not None:
            self.cycle.keep_alive = False  # uvicorn then answers with `connection: close`

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._in_head = True

    def send_400_response(self, msg: str) -> None:
        if self._too_many_headers:
            self.head.refuse_count(self.transport, self.server_state.default_headers)
            return
        super().send_400_response(msg)

    def close_after_response(self) -> None:
        self._last_request = True
        if self.cycle is not None and not self.cycle.response_complete:
            self.cycle.keep_alive = False
