"""What the server accepts as a request head, and how it refuses the rest.

A request head is the request line and the headers, up to the blank line before the body.
Three bounds apply to each one (docs/adr/0005-request-limits-and-transport-headers.md):

- **Size:** at most `max_bytes` (16 KiB by default, like Node's and twice nginx's usual
  buffer), else 431. Counted on the bytes read, so a client can never make the parser buffer
  more than that.
- **Count:** at most `max_headers` headers (100, Apache's default), else 431.
- **Time:** the whole head must arrive within `timeout` seconds of the connection opening or
  of the head's first byte (20 s by default), else the server answers 408 and closes; a
  connection that sent nothing at all is closed without an answer, since a pre-opened
  connection that reads an answer to a request it never sent would misattribute it.

Refusals are `application/problem+json`, like every other error of the service, and end the
connection. The connection closes only after a short linger: closing a socket that still has
unread input makes the kernel reset it, and a reset can destroy the answer before the client
reads it.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import structlog
import uvicorn

from {{ cookiecutter.package_name }}.core.http.problems import PROBLEM_MEDIA_TYPE, PROBLEM_TYPE_BASE
from {{ cookiecutter.package_name }}.http1.defaults import (
    DEFAULT_HEADER_TIMEOUT_SECONDS,
    DEFAULT_MAX_HEADER_BYTES,
    DEFAULT_MAX_HEADERS,
)

if TYPE_CHECKING:
    from uvicorn._types import ASGIApplication

logger = structlog.get_logger(__name__)

# How long a refused connection keeps reading (and dropping) what the client still sends.
LINGER_SECONDS = 2.0
# How long a connection that has sent nothing yet is kept open when the server shuts down.
FRESH_SECONDS = 1.0
CLOSE_HEADER = (b"connection", b"close")


@dataclass(frozen=True, slots=True)
class HeadLimits:
    max_bytes: int = DEFAULT_MAX_HEADER_BYTES
    max_headers: int = DEFAULT_MAX_HEADERS
    timeout: float = DEFAULT_HEADER_TIMEOUT_SECONDS


class ServeConfig(uvicorn.Config):
    """uvicorn's configuration, plus the head limits the protocols read from it."""

    def __init__(
        self,
        app: ASGIApplication | str,
        *,
        head_limits: HeadLimits | None = None,
        **options: Any,  # noqa: ANN401 - uvicorn.Config's own keywords, passed on unchanged
    ) -> None:
        super().__init__(app, **options)
        self.head_limits = head_limits or HeadLimits()


def limits_of(config: uvicorn.Config) -> HeadLimits:
    # `--reload` builds uvicorn's own Config (in a child process): the defaults apply there.
    return config.head_limits if isinstance(config, ServeConfig) else HeadLimits()


@runtime_checkable
class EndsAfterResponse(Protocol):
    """A connection the server can ask to close once its current request is answered."""

    def close_after_response(self) -> None: ...


def refusal(
    status: int,
    detail: str,
    default_headers: Sequence[tuple[bytes, bytes]],
    extra: dict[str, object],
) -> bytes:
    """A complete HTTP/1.1 problem answer that ends the connection."""
    phrase = HTTPStatus(status).phrase
    problem = {
        "type": PROBLEM_TYPE_BASE + phrase.lower().replace(" ", "-"),
        "title": phrase,
        "status": status,
        "detail": detail,
        **extra,
    }
    body = json.dumps(problem).encode()
    lines = [f"HTTP/1.1 {status} {phrase}".encode()]
    lines += [name + b": " + value for name, value in default_headers if name != b"connection"]
    lines += [
        b"content-type: " + PROBLEM_MEDIA_TYPE.encode(),
        b"content-length: " + str(len(body)).encode(),
        b"connection: close",
    ]
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


class HeadGuard:
    """One connection's current request head: bytes and headers so far, and its deadline."""

    def __init__(
        self, limits: HeadLimits, loop: asyncio.AbstractEventLoop, on_timeout: Callable[[], None]
    ) -> None:
        self.limits = limits
        self.bytes = 0
        self.headers = 0
        # Set once a refusal is written: from then on the connection only drops its input.
        self.refused = False
        self._loop = loop
        self._on_timeout = on_timeout
        self._timer: asyncio.TimerHandle | None = None
        self._linger: asyncio.TimerHandle | None = None
        # Protocols are made as connections are accepted.
        self._opened_at = loop.time()
        self._heads = 0

    def start_timer(self) -> None:
        """Start the head's deadline, unless it already runs."""
        if self._timer is None and not self.refused:
            self._timer = self._loop.call_later(self.limits.timeout, self._timed_out)

    def head_complete(self) -> None:
        self._heads += 1
        self._reset()

    def fresh_for(self) -> float:
        """Seconds this connection still counts as just opened, its request surely on the way.

        A connection opened a moment ago that has sent nothing yet is not idle: its client
        has a request to send, and closing it would lose that request.
        """
        if self._heads or self.bytes:
            return 0.0
        return max(0.0, FRESH_SECONDS - (self._loop.time() - self._opened_at))

    def connection_lost(self) -> None:
        self._reset()
        if self._linger is not None:
            self._linger.cancel()
            self._linger = None

    def refuse(
        self,
        transport: asyncio.Transport,
        default_headers: Sequence[tuple[bytes, bytes]],
        status: int,
        detail: str,
        extra: dict[str, object],
    ) -> None:
        self.refused = True
        self._reset()
        logger.warning("request_head_refused", status=status, detail=detail)
        transport.write(refusal(status, detail, default_headers, extra))
        if transport.can_write_eof():
            transport.write_eof()  # the answer, then end of stream; input is read and dropped
            self._linger = self._loop.call_later(LINGER_SECONDS, transport.close)
        else:
            transport.close()

    def refuse_size(
        self, transport: asyncio.Transport, default_headers: Sequence[tuple[bytes, bytes]]
    ) -> None:
        self.refuse(
            transport,
            default_headers,
            431,
            f"The request line and headers exceed {self.limits.max_bytes} bytes; send less "
            "in headers (cookies, tokens) or move the data into the body.",
            {"max_header_bytes": self.limits.max_bytes},
        )

    def refuse_count(
        self, transport: asyncio.Transport, default_headers: Sequence[tuple[bytes, bytes]]
    ) -> None:
        self.refuse(
            transport,
            default_headers,
            431,
            f"The request has more than {self.limits.max_headers} headers; send fewer.",
            {"max_headers": self.limits.max_headers},
        )

    def refuse_timeout(
        self, transport: asyncio.Transport, default_headers: Sequence[tuple[bytes, bytes]]
    ) -> None:
        self.refuse(
            transport,
            default_headers,
            408,
            f"The request line and headers did not arrive within {self.limits.timeout:g} "
            "seconds; send the whole request head at once and retry.",
            {"header_timeout_seconds": self.limits.timeout},
        )

    def _reset(self) -> None:
        self.bytes = 0
        self.headers = 0
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _timed_out(self) -> None:
        self._timer = None
        self._on_timeout()


def protocol_class(parser: str) -> type[asyncio.Protocol]:
    """The bounded protocol for `parser`: "auto" (httptools when installed), "httptools", "h11".

    Only the chosen parser's module is imported.
    """
    if parser in ("auto", "httptools"):
        try:
            from {{ cookiecutter.package_name }}.http1.httptools_protocol import (  # noqa: PLC0415
                LimitedHttpToolsProtocol,
            )
        except ImportError:
            if parser == "httptools":
                raise
        else:
            return LimitedHttpToolsProtocol
    from {{ cookiecutter.package_name }}.http1.h11_protocol import LimitedH11Protocol  # noqa: PLC0415

    return LimitedH11Protocol
