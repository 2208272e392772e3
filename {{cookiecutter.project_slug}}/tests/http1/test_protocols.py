"""The bounded HTTP/1.1 protocols on a real socket, in this process, for both parsers.

Each test serves a two-line ASGI app with the protocol on an asyncio server bound to
127.0.0.1 and talks to it with raw bytes. The bounds are small so the edges are cheap to
reach; the real server process is tested in tests/http1/test_request_heads.py.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace

import pytest
from uvicorn._types import ASGIReceiveCallable, ASGISendCallable, Scope
from uvicorn.server import ServerState

from {{ cookiecutter.package_name }}.http1.h11_protocol import LimitedH11Protocol
from {{ cookiecutter.package_name }}.http1.httptools_protocol import LimitedHttpToolsProtocol
from {{ cookiecutter.package_name }}.http1.limits import HeadLimits, ServeConfig

# The head timeout here is long, so a slow machine never turns an exchange into a 408;
# the tests of the timeout itself use SHORT_TIMEOUT, so they wait a fraction of a second.
LIMITS = HeadLimits(max_bytes=1024, max_headers=5, timeout=5.0)
SHORT_TIMEOUT = replace(LIMITS, timeout=0.3)
PROTOCOLS = [LimitedHttpToolsProtocol, LimitedH11Protocol]
Bounded = LimitedHttpToolsProtocol | LimitedH11Protocol
# An upper bound for any one exchange; the tests never measure how long one takes.
EXCHANGE_TIMEOUT = 10


@dataclass
class Served:
    port: int
    state: ServerState
    release: asyncio.Event

    def protocols(self) -> list[Bounded]:
        return [p for p in self.state.connections if isinstance(p, Bounded)]

    async def wait_for(self, predicate: Callable[[Bounded], object]) -> Bounded:
        """The first open connection for which `predicate` holds, once it does."""
        async with asyncio.timeout(EXCHANGE_TIMEOUT):
            while True:
                for protocol in self.protocols():
                    if predicate(protocol):
                        return protocol
                await asyncio.sleep(0.01)


class App:
    """Answers 200 "ok"; on /wait, only once `release` is set."""

    def __init__(self) -> None:
        self.release = asyncio.Event()

    async def __call__(
        self, scope: Scope, receive: ASGIReceiveCallable, send: ASGISendCallable
    ) -> None:
        while (await receive()).get("more_body"):
            pass
        if scope.get("path") == "/wait":
            await self.release.wait()
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"text/plain"), (b"content-length", b"2")],
            }
        )
        await send({"type": "http.response.body", "body": b"ok", "more_body": False})


@asynccontextmanager
async def serving(protocol: type[Bounded], limits: HeadLimits = LIMITS) -> AsyncIterator[Served]:
    app = App()
    config = ServeConfig(app, head_limits=limits, http=protocol, lifespan="off", log_config=None)
    config.load()
    state = ServerState()
    state.default_headers = [(b"date", b"Thu, 01 Jan 2026 00:00:00 GMT")]
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: protocol(config=config, server_state=state, app_state={}), "127.0.0.1", 0
    )
    try:
        yield Served(server.sockets[0].getsockname()[1], state, app.release)
    finally:
        app.release.set()
        for connection in list(state.connections):
            connection.transport.close()
        server.close()
        await server.wait_closed()


@asynccontextmanager
async def connection(
    served: Served,
) -> AsyncIterator[tuple[asyncio.StreamReader, asyncio.StreamWriter]]:
    reader, writer = await asyncio.open_connection("127.0.0.1", served.port)
    try:
        yield reader, writer
    finally:
        writer.close()


async def until_closed(reader: asyncio.StreamReader) -> bytes:
    try:
        return await asyncio.wait_for(reader.read(), EXCHANGE_TIMEOUT)
    except ConnectionResetError:
        return b""


async def one_answer(reader: asyncio.StreamReader) -> bytes:
    """One complete answer of the app (or of a refusal), read on a connection left open."""
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), EXCHANGE_TIMEOUT)
    length = next(
        int(line.split(b":", 1)[1])
        for line in head.lower().split(b"\r\n")
        if line.startswith(b"content-length:")
    )
    return head + await asyncio.wait_for(reader.readexactly(length), EXCHANGE_TIMEOUT)


def head_of(*headers: bytes, target: bytes = b"/") -> bytes:
    return (
        b"GET "
        + target
        + b" HTTP/1.1\r\nhost: t\r\n"
        + b"".join(h + b"\r\n" for h in headers)
        + b"\r\n"
    )


def status(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


def problem(answer: bytes) -> dict[str, object]:
    head, _, body = answer.partition(b"\r\n\r\n")
    assert b"content-type: application/problem+json" in head
    assert b"connection: close" in head
    assert b"date: Thu, 01 Jan 2026" in head  # the server's default headers come along
    parsed: dict[str, object] = json.loads(body)
    return parsed


def padded_to(size: int) -> bytes:
    """A request head of exactly `size` bytes."""
    bare = head_of(b"x-pad: ")
    return head_of(b"x-pad: " + b"p" * (size - len(bare)))


pytestmark = pytest.mark.parametrize("protocol", PROTOCOLS, ids=["httptools", "h11"])


async def test_a_head_of_exactly_the_bound_is_answered(protocol: type[Bounded]) -> None:
    async with serving(protocol) as served, connection(served) as (reader, writer):
        writer.write(padded_to(LIMITS.max_bytes))
        assert status(await one_answer(reader)) == 200


async def test_one_byte_over_the_bound_is_431_and_the_connection_ends(
    protocol: type[Bounded],
) -> None:
    async with serving(protocol) as served, connection(served) as (reader, writer):
        writer.write(padded_to(LIMITS.max_bytes + 1))
        answer = await until_closed(reader)
    assert status(answer) == 431
    assert problem(answer)["max_header_bytes"] == LIMITS.max_bytes


async def test_a_large_head_trickled_in_pieces_is_431(protocol: type[Bounded]) -> None:
    async with serving(protocol) as served, connection(served) as (reader, writer):
        writer.write(b"GET / HTTP/1.1\r\nhost: t\r\nx-big: ")
        for _ in range(10):
            writer.write(b"b" * 200)
            await writer.drain()
            await asyncio.sleep(0.01)
        answer = await until_closed(reader)
    assert status(answer) == 431


async def test_the_header_count_is_bounded(protocol: type[Bounded]) -> None:
    allowed = [b"x-%d: 1" % index for index in range(LIMITS.max_headers - 1)]  # and host
    async with serving(protocol) as served:
        async with connection(served) as (reader, writer):
            writer.write(head_of(*allowed))
            assert status(await one_answer(reader)) == 200
        async with connection(served) as (reader, writer):
            writer.write(head_of(*allowed, b"x-one-more: 1"))
            answer = await until_closed(reader)
    assert status(answer) == 431
    assert problem(answer)["max_headers"] == LIMITS.max_headers


async def test_a_body_is_not_counted_as_head(protocol: type[Bounded]) -> None:
    body = b"b" * (4 * LIMITS.max_bytes)
    request = b"POST / HTTP/1.1\r\nhost: t\r\ncontent-length: %d\r\n\r\n" % len(body) + body
    async with serving(protocol) as served, connection(served) as (reader, writer):
        writer.write(request)
        assert status(await one_answer(reader)) == 200


async def test_pipelined_requests_are_each_answered(protocol: type[Bounded]) -> None:
    async with serving(protocol) as served, connection(served) as (reader, writer):
        writer.write(head_of() * 3)
        answers = [await one_answer(reader) for _ in range(3)]
    assert [status(answer) for answer in answers] == [200, 200, 200]


async def test_a_head_that_stalls_is_408_and_the_connection_ends(
    protocol: type[Bounded],
) -> None:
    async with serving(protocol, SHORT_TIMEOUT) as served, connection(served) as (reader, writer):
        writer.write(b"GET / HTTP/1.1\r\nhost: t\r\n")
        answer = await until_closed(reader)
    assert status(answer) == 408
    assert problem(answer)["header_timeout_seconds"] == SHORT_TIMEOUT.timeout


async def test_a_connection_that_sends_nothing_is_closed_without_an_answer(
    protocol: type[Bounded],
) -> None:
    async with serving(protocol, SHORT_TIMEOUT) as served, connection(served) as (reader, _):
        assert await until_closed(reader) == b""


async def test_the_timeout_bounds_a_head_not_the_wait_between_requests(
    protocol: type[Bounded],
) -> None:
    async with serving(protocol, SHORT_TIMEOUT) as served, connection(served) as (reader, writer):
        writer.write(head_of())
        assert status(await one_answer(reader)) == 200
        await asyncio.sleep(SHORT_TIMEOUT.timeout * 2)  # idle, within the keep-alive timeout
        writer.write(head_of())
        assert status(await one_answer(reader)) == 200


async def test_a_malformed_request_still_gets_uvicorns_400(protocol: type[Bounded]) -> None:
    async with serving(protocol) as served, connection(served) as (reader, writer):
        writer.write(b"NOT HTTP\r\n\r\n")
        answer = await until_closed(reader)
    assert status(answer) == 400


async def test_a_request_in_flight_ends_its_connection_when_asked(
    protocol: type[Bounded],
) -> None:
    async with serving(protocol) as served, connection(served) as (reader, writer):
        writer.write(head_of(target=b"/wait"))
        busy = await served.wait_for(lambda protocol: protocol.cycle is not None)
        busy.close_after_response()
        served.release.set()
        answer = await until_closed(reader)
    assert status(answer) == 200
    assert b"connection: close" in answer.lower()


async def test_an_idle_connection_asked_to_end_answers_its_next_request_first(
    protocol: type[Bounded],
) -> None:
    async with serving(protocol) as served, connection(served) as (reader, writer):
        writer.write(head_of())
        first = await one_answer(reader)
        (idle,) = served.protocols()
        idle.close_after_response()
        writer.write(head_of())
        last = await until_closed(reader)
    assert b"connection: close" not in first.lower()
    assert status(last) == 200
    assert b"connection: close" in last.lower()


async def test_shutdown_answers_a_head_that_is_arriving_then_closes(
    protocol: type[Bounded],
) -> None:
    async with serving(protocol) as served, connection(served) as (reader, writer):
        writer.write(b"GET / HTTP/1.1\r\n")
        arriving = await served.wait_for(lambda protocol: protocol.head.bytes > 0)
        arriving.shutdown()
        writer.write(b"host: t\r\n\r\n")
        answer = await until_closed(reader)
    assert status(answer) == 200
    assert b"connection: close" in answer.lower()


async def test_shutdown_closes_an_idle_connection(protocol: type[Bounded]) -> None:
    async with serving(protocol) as served, connection(served) as (reader, writer):
        writer.write(head_of())
        await one_answer(reader)
        (idle,) = served.protocols()
        idle.shutdown()
        assert await until_closed(reader) == b""


async def test_shutdown_answers_a_connection_opened_a_moment_ago(
    protocol: type[Bounded],
) -> None:
    # Its client has connected to send a request; closing it now would lose that request.
    async with serving(protocol) as served, connection(served) as (reader, writer):
        just_opened = await served.wait_for(lambda _: True)
        just_opened.shutdown()
        writer.write(head_of())
        answer = await until_closed(reader)
    assert status(answer) == 200
    assert b"connection: close" in answer.lower()


async def test_shutdown_closes_a_new_connection_that_stays_silent(
    protocol: type[Bounded],
) -> None:
    patient = HeadLimits(timeout=60)  # so the close comes from the shutdown, not the timeout
    async with serving(protocol, patient) as served, connection(served) as (reader, _):
        just_opened = await served.wait_for(lambda _: True)
        just_opened.shutdown()
        assert await until_closed(reader) == b""
