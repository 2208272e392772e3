"""Request heads the real server refuses: too large, too many headers, too slow to arrive.

Each parser the server can run (httptools, and h11 where httptools is missing) gets its own
server process, started with a short `--header-timeout` so the slow-client tests stay short.
The requests are written on raw sockets: an HTTP client would refuse to send some of them.
"""

from __future__ import annotations

import contextlib
import json
import socket
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.serving.server_process import ServerProcess, server_process

pytestmark = pytest.mark.server

MAX_HEADER_BYTES = 16 * 1024
MAX_HEADERS = 100
HEADER_TIMEOUT_SECONDS = 2
# How long a test waits for the server to act on the timeout: an upper bound, not a measure.
CLOSE_DEADLINE_SECONDS = HEADER_TIMEOUT_SECONDS + 20
SLOW_CLIENTS = 20


@pytest.fixture(scope="module", params=["httptools", "h11"])
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServerProcess]:
    folder = tmp_path_factory.mktemp(f"heads-{request.param}")
    options = ("--http", request.param, "--header-timeout", str(HEADER_TIMEOUT_SECONDS))
    with server_process(folder, *options) as running:
        yield running


def connect(server: ServerProcess) -> socket.socket:
    try:
        return socket.create_connection(("127.0.0.1", server.port), timeout=10)
    except ConnectionRefusedError as error:
        raise AssertionError(f"connection refused; {server.describe()}") from error


def read_until_closed(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection."""
    received = b""
    try:
        while chunk := sock.recv(65536):
            received += chunk
    except ConnectionResetError:
        pass  # what arrived before the reset is the answer
    return received


def exchange(server: ServerProcess, head: bytes) -> bytes:
    """Send one request head on a fresh connection; the server's answer up to its close."""
    with connect(server) as sock:
        # The server may stop reading before the head is sent: its answer is still there.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(head)
        return read_until_closed(sock)


def request_head(*headers: tuple[str, str]) -> bytes:
    lines = ["GET /health/live HTTP/1.1", "Host: test", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def status_of(answer: bytes) -> int:
    assert answer.startswith(b"HTTP/1.1 "), answer[:200]
    return int(answer.split(b" ", 2)[1])


def assert_refused(answer: bytes, status: int, type_slug: str) -> dict[str, object]:
    assert status_of(answer) == status, answer[:300]
    head, _, body = answer.partition(b"\r\n\r\n")
    assert b"\r\ncontent-type: application/problem+json" in head.lower()
    assert b"\r\nconnection: close" in head.lower()
    problem: dict[str, object] = json.loads(body)
    assert problem["status"] == status
    assert str(problem["type"]).endswith(f":{type_slug}")
    return problem


def test_a_head_within_the_bounds_is_served(server: ServerProcess) -> None:
    headers = [(f"x-filler-{index}", "v" * 100) for index in range(MAX_HEADERS - 3)]
    head = request_head(*headers)
    assert len(head) < MAX_HEADER_BYTES
    assert status_of(exchange(server, head)) == 200


@pytest.mark.parametrize("size", [64 * 1024, 1024 * 1024], ids=["64KiB", "1MiB"])
def test_a_header_over_the_size_bound_is_refused_with_431(server: ServerProcess, size: int) -> None:
    answer = exchange(server, request_head(("x-large", "a" * size)))
    problem = assert_refused(answer, 431, "request-header-fields-too-large")
    assert problem["max_header_bytes"] == MAX_HEADER_BYTES
    assert b"aaaa" not in answer  # nothing of the request is echoed


def test_more_headers_than_the_bound_are_refused_with_431(server: ServerProcess) -> None:
    headers = [(f"x-h{index}", "1") for index in range(1024)]
    head = request_head(*headers)
    assert len(head) < MAX_HEADER_BYTES  # refused for the count, not the size
    problem = assert_refused(exchange(server, head), 431, "request-header-fields-too-large")
    assert problem["max_headers"] == MAX_HEADERS


def test_a_head_trickled_byte_by_byte_is_closed_after_the_timeout(
    server: ServerProcess,
) -> None:
    clients = [connect(server) for _ in range(SLOW_CLIENTS)]
    try:
        for sock in clients:
            sock.sendall(b"GET /health/live HTTP/1.1\r\nHost: test\r\n")
            sock.setblocking(False)
        answers = dict.fromkeys(clients, b"")
        open_clients = set(clients)
        deadline = time.monotonic() + CLOSE_DEADLINE_SECONDS
        while open_clients and time.monotonic() < deadline:
            for sock in list(open_clients):
                # One more byte of a header that never ends.
                with contextlib.suppress(BrokenPipeError, ConnectionResetError, BlockingIOError):
                    sock.send(b"x")
                try:
                    while chunk := sock.recv(65536):
                        answers[sock] += chunk
                    open_clients.discard(sock)  # recv returned b"": closed by the server
                except BlockingIOError:
                    pass
                except ConnectionResetError:
                    open_clients.discard(sock)
            # A normal request is served all along.
            assert server.get("/health/live").status_code == 200
            time.sleep(0.5)
        assert not open_clients, f"{len(open_clients)} of {SLOW_CLIENTS} slow heads still open"
        for answer in answers.values():
            if answer:  # the 408 may be lost to a reset; the close is what counts
                assert_refused(answer, 408, "request-timeout")
        assert any(answers.values()), "no slow client got a 408"
    finally:
        for sock in clients:
            sock.close()


def test_a_connection_that_sends_nothing_is_closed_after_the_timeout(
    server: ServerProcess,
) -> None:
    with connect(server) as sock:
        sock.settimeout(CLOSE_DEADLINE_SECONDS)
        # Nothing was asked, so nothing is answered: the server just closes.
        assert read_until_closed(sock) == b""


def test_a_keep_alive_connection_serves_requests_after_the_timeout(
    server: ServerProcess,
) -> None:
    # The timeout bounds each request head, not the life of a connection.
    with httpx.Client(base_url=server.base_url, timeout=10) as client:
        first = client.get("/health/live")
        time.sleep(HEADER_TIMEOUT_SECONDS + 0.5)
        second = client.get("/health/live")
    assert first.status_code == second.status_code == 200
    assert first.extensions["network_stream"] is second.extensions["network_stream"]
