"""Request body limits, enforced before the application holds more bytes than it should.

A declared `Content-Length` over the limit is refused before a byte of the body is read. A
body without one (chunked transfer, HTTP/2) is counted as the application reads it: the read
that crosses the limit fails, and the client gets the 413 instead of whatever the application
made of that failure. Pure ASGI, like the rest of the middleware (see `core.middleware`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from {{ cookiecutter.package_name }}.core.http.problems import ProblemResponse, problem

# More digits than this is more than any limit, and `int()` of a huge digit string is slow.
_MAX_LENGTH_DIGITS = 18
_HUGE = 10**_MAX_LENGTH_DIGITS


class InvalidContentLength(ValueError):
    """The request's Content-Length is not one non-negative decimal integer."""


class BodyTooLarge(Exception):
    """Raised from `receive` when the body read so far exceeds the limit."""


def body_framing(headers: Iterable[tuple[bytes, bytes]]) -> tuple[int | None, bool]:
    """The request's Content-Length (None when it has none), and whether it is chunked.

    ASGI servers lower-case header names. Repeated lengths must agree (RFC 9110, 8.6);
    anything but ASCII digits (a sign, spaces, `_`, which `int()` would accept) is refused.
    """
    length: int | None = None
    chunked = False
    for name, value in headers:
        if name == b"transfer-encoding":
            chunked = True
        elif name == b"content-length":
            if not value.isdigit():
                raise InvalidContentLength
            parsed = int(value) if len(value) <= _MAX_LENGTH_DIGITS else _HUGE
            if length is not None and parsed != length:
                raise InvalidContentLength
            length = parsed
    return length, chunked


def too_large(limit: int) -> ProblemResponse:
    return problem(
        413,
        # Explicit slug and title: Python 3.13 renamed the status phrase for 413.
        type_slug="content-too-large",
        title="Content Too Large",
        detail=f"The request body exceeds this endpoint's limit of {limit} bytes.",
        headers={"Connection": "close"},
        extra={"max_body_bytes": limit},
    )


def invalid_content_length() -> ProblemResponse:
    return problem(
        400,
        type_slug="invalid-content-length",
        detail="The Content-Length header must be one non-negative integer.",
        headers={"Connection": "close"},
    )


class BodyLimitMiddleware:
    """Refuse request bodies larger than `max_body_bytes` with a 413 problem.

    `limits_by_prefix` sets other limits for paths that start with a given prefix (the first
    match wins): smaller for endpoints that never need a large body, such as login.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body_bytes: int,
        limits_by_prefix: Sequence[tuple[str, int]] = (),
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.limits_by_prefix = tuple(limits_by_prefix)

    def limit_for(self, path: str) -> int:
        for prefix, limit in self.limits_by_prefix:
            if path.startswith(prefix):
                return limit
        return self.max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        limit = self.limit_for(scope["path"])
        try:
            length, chunked = body_framing(scope["headers"])
        except InvalidContentLength:
            await invalid_content_length()(scope, receive, send)
            return
        if length is not None and length > limit:
            await too_large(limit)(scope, receive, send)
        elif not chunked and (length is not None or scope.get("http_version") != "2"):
            # The server delivers no more than the declared length; and in HTTP/1.x a request
            # with neither header has no body (RFC 9112, 6.3). The hot path: nothing to count.
            await self.app(scope, receive, send)
        else:
            await _counted(self.app, limit, scope, receive, send)


async def _counted(app: ASGIApp, limit: int, scope: Scope, receive: Receive, send: Send) -> None:
    """Run `app` with a `receive` that fails once the body read so far exceeds `limit`."""
    received = 0
    exceeded = False
    response_started = False
    replaced = False

    async def counting_receive() -> Message:
        nonlocal received, exceeded
        if exceeded:
            raise BodyTooLarge
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > limit:
                exceeded = True
                raise BodyTooLarge
        return message

    async def guarded_send(message: Message) -> None:
        nonlocal response_started, replaced
        if replaced:
            return  # the rest of the response the application built after the failed read
        if message["type"] == "http.response.start":
            if exceeded:
                # The application answered its failed read (FastAPI makes it a 400): the
                # client must learn the real reason instead.
                replaced = True
                await too_large(limit)(scope, receive, send)
                return
            response_started = True
        await send(message)

    try:
        await app(scope, counting_receive, guarded_send)
    except BodyTooLarge:
        if response_started:
            raise
        if not replaced:
            await too_large(limit)(scope, receive, send)
