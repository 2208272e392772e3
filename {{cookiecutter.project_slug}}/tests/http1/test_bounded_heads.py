"""The parser-independent half of the bounded protocols, on a clock the test moves.

The mixin sits on a stand-in for uvicorn's protocol that records what reaches the parser and
whether uvicorn's own shutdown ran; the parser's answers (is a head being read, is the
connection between requests) are set by each test. The timers run on an event loop whose
clock moves only when the test says, so a deadline's edges are exact and take no time.
test_protocols.py proves the same behaviour through both real parsers, on a socket.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from uvicorn.config import Config
from uvicorn.server import ServerState

from {{ cookiecutter.package_name }}.http1.bounded_heads import BoundedHeadsMixin
from {{ cookiecutter.package_name }}.http1.limits import FRESH_SECONDS, HeadLimits, ServeConfig

LIMITS = HeadLimits(max_bytes=10, max_headers=5, timeout=5.0)
TICK = 0.001


class ManualClockLoop(asyncio.SelectorEventLoop):
    """An event loop whose clock moves only in `advance`, which runs the timers then due."""

    def __init__(self) -> None:
        super().__init__()
        self.now = 1_000.0

    def time(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
        self.run_until_complete(asyncio.sleep(0))  # one pass: the timers due, then the sleep


class RecordingTransport(asyncio.Transport):
    def __init__(self) -> None:
        super().__init__()
        self.written = b""
        self.closed = False
        self.protocol: asyncio.BaseProtocol | None = None

    def write(self, data: bytes | bytearray | memoryview[Any]) -> None:
        self.written += bytes(data)

    def can_write_eof(self) -> bool:
        return False  # so a refusal closes at once, without the linger timer

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True

    def get_protocol(self) -> asyncio.BaseProtocol:
        assert self.protocol is not None
        return self.protocol

    def set_protocol(self, protocol: asyncio.BaseProtocol) -> None:
        self.protocol = protocol


class StandInForUvicorn(asyncio.Protocol):
    """Takes what uvicorn's protocols take; records what reaches the parser, and shutdowns."""

    def __init__(
        self,
        config: Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        assert _loop is not None
        self.loop = _loop
        self.server_state = server_state
        self.fed: list[bytes] = []
        self.uvicorn_shut_down = False

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.fed.append(data)

    def shutdown(self) -> None:
        self.uvicorn_shut_down = True


class Probe(BoundedHeadsMixin, StandInForUvicorn):
    in_head = True
    between_requests = True
    ends_after_response = False

    def _reading_head(self) -> bool:
        return self.in_head

    def _head_started(self) -> bool:
        return self.head.bytes > 0  # as the httptools protocol tells

    def _between_requests(self) -> bool:
        return self.between_requests

    def close_after_response(self) -> None:
        self.ends_after_response = True


@pytest.fixture
def loop() -> Iterator[ManualClockLoop]:
    manual = ManualClockLoop()
    yield manual
    manual.close()


@pytest.fixture
def transport() -> RecordingTransport:
    return RecordingTransport()


@pytest.fixture
def probe(loop: ManualClockLoop, transport: RecordingTransport) -> Probe:
    config = ServeConfig("unused:app", head_limits=LIMITS, log_config=None)
    made = Probe(config, ServerState(), {}, loop)
    transport.set_protocol(made)
    made.connection_made(transport)
    return made


def status_of(transport: RecordingTransport) -> int:
    return int(transport.written.split(b" ", 2)[1])


# The byte budget of a head.


def test_a_head_reaches_the_parser_only_within_its_budget(
    probe: Probe, transport: RecordingTransport
) -> None:
    probe.data_received(b"h" * 25)
    assert probe.fed == [b"h" * LIMITS.max_bytes]
    assert status_of(transport) == 431
    assert transport.closed


def test_bytes_outside_a_head_reach_the_parser_whole_and_uncounted(probe: Probe) -> None:
    probe.in_head = False
    probe.data_received(b"b" * 25)
    assert probe.fed == [b"b" * 25]
    assert probe.head.bytes == 0


def test_the_budget_starts_again_with_each_head(
    probe: Probe, transport: RecordingTransport
) -> None:
    probe.data_received(b"h" * LIMITS.max_bytes)
    probe.head.head_complete()  # as the parser reports
    probe.data_received(b"h" * LIMITS.max_bytes)
    assert transport.written == b""


def test_nothing_more_is_fed_once_the_connection_is_handed_over(
    probe: Probe, transport: RecordingTransport
) -> None:
    transport.set_protocol(asyncio.Protocol())  # as a WebSocket upgrade does in the parser
    probe.data_received(b"h" * 25)
    assert probe.fed == [b"h" * LIMITS.max_bytes]
    assert transport.written == b""


# The deadline of a head.


def test_a_connection_that_sends_nothing_is_closed_at_its_deadline_without_an_answer(
    probe: Probe, loop: ManualClockLoop, transport: RecordingTransport
) -> None:
    loop.advance(LIMITS.timeout - TICK)
    assert not transport.closed
    loop.advance(2 * TICK)
    assert transport.closed
    assert transport.written == b""


def test_a_trickled_head_is_408_at_the_deadline_set_when_the_connection_opened(
    probe: Probe, loop: ManualClockLoop, transport: RecordingTransport
) -> None:
    for byte in b"GET / ":
        loop.advance(LIMITS.timeout / 10)
        probe.data_received(bytes([byte]))  # each byte starts no new deadline
    assert transport.written == b""
    loop.advance(LIMITS.timeout * 4 / 10 + TICK)
    assert status_of(transport) == 408
    assert transport.closed


def test_a_completed_head_ends_its_deadline_and_the_next_head_starts_one(
    probe: Probe, loop: ManualClockLoop, transport: RecordingTransport
) -> None:
    probe.data_received(b"h")
    probe.head.head_complete()
    loop.advance(2 * LIMITS.timeout)  # the wait between requests is keep-alive's to bound
    assert not transport.closed
    probe.data_received(b"h")
    loop.advance(LIMITS.timeout - TICK)
    assert not transport.closed
    loop.advance(2 * TICK)
    assert status_of(transport) == 408


def test_a_head_stalled_behind_an_answer_in_progress_ends_the_connection_after_it(
    probe: Probe, loop: ManualClockLoop, transport: RecordingTransport
) -> None:
    probe.between_requests = False
    probe.data_received(b"h")
    loop.advance(LIMITS.timeout + TICK)
    assert probe.ends_after_response
    assert transport.written == b""
    assert not transport.closed


def test_a_lost_connection_has_no_deadline(
    probe: Probe, loop: ManualClockLoop, transport: RecordingTransport
) -> None:
    probe.connection_lost(None)
    loop.advance(LIMITS.timeout + TICK)
    assert not transport.closed  # the deadline did not close it


def test_a_deadline_on_a_closing_connection_does_nothing(
    probe: Probe, loop: ManualClockLoop, transport: RecordingTransport
) -> None:
    probe.data_received(b"h")
    transport.close()  # connection_lost comes later, from the event loop
    loop.advance(LIMITS.timeout + TICK)
    assert transport.written == b""
    assert not probe.ends_after_response


# Shutdown.


def test_shutdown_leaves_a_request_in_progress_to_uvicorn(probe: Probe) -> None:
    probe.between_requests = False
    probe.shutdown()
    assert probe.uvicorn_shut_down


def test_shutdown_answers_a_head_that_is_arriving_before_closing(probe: Probe) -> None:
    probe.data_received(b"h")
    probe.shutdown()
    assert probe.ends_after_response
    assert not probe.uvicorn_shut_down


def test_shutdown_waits_briefly_for_a_new_connection_to_send_its_request(
    probe: Probe, loop: ManualClockLoop
) -> None:
    probe.shutdown()
    assert probe.ends_after_response
    assert not probe.uvicorn_shut_down
    loop.advance(FRESH_SECONDS + TICK)  # still silent: now it is idle
    assert probe.uvicorn_shut_down


def test_shutdown_closes_an_idle_connection_at_once(probe: Probe) -> None:
    probe.data_received(b"h")
    probe.head.head_complete()  # one request answered; none since
    probe.shutdown()
    assert probe.uvicorn_shut_down
    assert not probe.ends_after_response


def test_shutdown_of_a_closing_connection_does_nothing(
    probe: Probe, transport: RecordingTransport
) -> None:
    transport.close()
    probe.shutdown()
    assert not probe.uvicorn_shut_down
    assert not probe.ends_after_response
