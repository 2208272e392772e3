"""Graceful shutdown of the real server: readiness fails first, requests in flight finish.

Each test starts `python -m tests.slow_server serve`, the real command line with one extra
slow route (see tests/slow_server.py), and sends SIGTERM while a slow request is in flight.
"""

from __future__ import annotations

import asyncio
import signal
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import httpx
import pytest
import uvicorn

from {{ cookiecutter.package_name }} import cli
from {{ cookiecutter.package_name }}.core.http.shutdown import LIFESPAN_STATE_KEY, ShutdownState
from {{ cookiecutter.package_name }}.http1.limits import CLOSE_HEADER
from {{ cookiecutter.package_name }}.main import create_app
from {{ cookiecutter.package_name }}.server import GracefulServer
from {{ cookiecutter.package_name }}.settings import Settings
from tests.conftest import TEST_SECRET
from tests.serving.server_process import ServerProcess, server_process

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SLOW_REQUEST_SECONDS = 3.0
GRACEFUL_TIMEOUT_SECONDS = 10
EXIT_MARGIN_SECONDS = 5.0


def slow_server(folder: Path, *options: str) -> AbstractContextManager[ServerProcess]:
    """The real server, with the slow route of tests/slow_server.py."""
    return server_process(folder, *options, module="tests.slow_server")


def wait_until_in_flight(server: ServerProcess, count: int) -> None:
    deadline = time.monotonic() + 10
    while server.get("/test/in-flight").json()["in_flight"] != count:
        assert time.monotonic() < deadline, f"{count} slow request(s) never started"
        time.sleep(0.05)


@contextmanager
def slow_request(
    server: ServerProcess, seconds: float = SLOW_REQUEST_SECONDS
) -> Iterator[Future[httpx.Response]]:
    """A request to `/test/slow` that is in flight (being served) when the block starts."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(server.get, f"/test/slow?seconds={seconds}", seconds + 30)
        wait_until_in_flight(server, 1)
        yield pending


@pytest.mark.server
def test_sigterm_lets_the_request_in_flight_finish_then_exits_0(tmp_path: Path) -> None:
    options = ("--graceful-timeout", str(GRACEFUL_TIMEOUT_SECONDS))
    with slow_server(tmp_path, *options) as server, slow_request(server) as pending:
        elapsed, stderr = server.stop_and_wait(GRACEFUL_TIMEOUT_SECONDS + EXIT_MARGIN_SECONDS)
        response = pending.result(timeout=5)

    assert response.status_code == 200, response.text
    assert response.json() == {"slept": SLOW_REQUEST_SECONDS}
    assert server.process.returncode == 0, stderr
    assert elapsed < GRACEFUL_TIMEOUT_SECONDS, "the server waited past the request it served"
    assert '"event":"shutdown"' in stderr


@pytest.mark.server
def test_readiness_answers_503_while_draining_and_liveness_stays_200(tmp_path: Path) -> None:
    # The slow request outlasts the drain, so it is still in flight when the socket closes.
    drain_seconds = 3
    options = ("--drain-seconds", str(drain_seconds), "--graceful-timeout", "10")
    with slow_server(tmp_path, *options) as server:
        assert server.get("/health/ready").status_code == 200
        with slow_request(server, seconds=drain_seconds + 2) as pending:
            server.process.send_signal(signal.SIGTERM)
            # Answered at all means answered during the drain: the socket is still open.
            ready = server.get("/health/ready")
            live = server.get("/health/live")
            server.process.wait(timeout=drain_seconds + 15)
            stderr = server.stderr()
            response = pending.result(timeout=5)

    assert ready.status_code == 503
    assert ready.headers["content-type"] == "application/problem+json"
    assert ready.json()["checks"] == {"shutdown": "started"}
    assert live.status_code == 200
    assert response.status_code == 200, response.text
    assert server.process.returncode == 0, stderr
    assert '"event":"shutdown_draining"' in stderr


@pytest.mark.server
def test_a_reused_connection_gets_connection_close_during_the_drain(tmp_path: Path) -> None:
    # A keep-alive client sends all through the drain; the server must never drop a
    # connection under it, so every answer in the drain says `Connection: close` and the
    # connection ends only after that answer.
    drain_seconds = 4
    options = ("--drain-seconds", str(drain_seconds), "--graceful-timeout", "10")
    with (
        slow_server(tmp_path, *options) as server,
        httpx.Client(base_url=server.base_url, timeout=10) as client,
    ):
        before = [client.get("/health/live") for _ in range(3)]
        with slow_request(server, seconds=1.5) as pending:
            server.process.send_signal(signal.SIGTERM)
            ready = client.get("/health/ready")
            while ready.status_code != 503:  # the signal is handled between two requests
                ready = client.get("/health/ready")
            during = [ready]
            # Well inside the drain: after it the socket closes and new connections fail.
            until = time.monotonic() + drain_seconds / 2
            while time.monotonic() < until:
                during.append(client.get("/health/live"))
                time.sleep(0.02)
            in_flight = pending.result(timeout=10)
        server.process.wait(timeout=drain_seconds + 15)

    streams = {id(response.extensions["network_stream"]) for response in before}
    assert len(streams) == 1, "the client did not reuse its connection before SIGTERM"
    assert all("connection" not in response.headers for response in before)
    assert in_flight.status_code == 200
    assert in_flight.headers.get("connection") == "close", "the request in flight kept alive"
    assert len(during) > 3
    assert all(response.status_code in (200, 503) for response in during)
    kept_alive = [response for response in during if response.headers.get("connection") != "close"]
    assert not kept_alive, f"{len(kept_alive)} of {len(during)} drain answers kept alive"
    assert server.process.returncode == 0, server.stderr()


async def test_readiness_answers_503_once_shutdown_has_begun(settings: Settings) -> None:
    app = create_app(settings)
    async with app.router.lifespan_context(app) as lifespan_state:
        shutdown = app.state.app_state.shutdown
        assert lifespan_state is not None
        # The server finds the flag in the ASGI lifespan state.
        assert lifespan_state[LIFESPAN_STATE_KEY] is shutdown
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            assert (await http.get("/health/ready")).status_code == 200
            shutdown.begin()
            response = await http.get("/health/ready")
            live = await http.get("/health/live")
    assert response.status_code == 503
    assert response.json()["checks"] == {"shutdown": "started"}
    assert live.status_code == 200


async def test_the_lifespan_marks_shutdown_for_any_server(settings: Settings) -> None:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        shutdown: ShutdownState = app.state.app_state.shutdown
        assert not shutdown.begun
    assert shutdown.begun


class FakeLifespan:
    """What uvicorn's lifespan holds after start-up: the state the app's lifespan yielded."""

    def __init__(self, state: dict[str, object]) -> None:
        self.state = state


def started_server(drain_seconds: float = 0) -> tuple[GracefulServer, ShutdownState]:
    config = uvicorn.Config(cli.APP_FACTORY, factory=True)
    server = GracefulServer(config, drain_seconds=drain_seconds)
    flag = ShutdownState()
    server.lifespan = FakeLifespan({LIFESPAN_STATE_KEY: flag})
    return server, flag


async def test_sigterm_without_drain_starts_the_shutdown_at_once() -> None:
    server, flag = started_server()
    server.handle_exit(signal.SIGTERM, None)
    assert flag.begun
    assert server.should_exit
    assert await server.on_tick(1) is True


async def test_sigterm_with_drain_keeps_serving_until_the_drain_ends() -> None:
    server, flag = started_server(drain_seconds=0.2)
    server.handle_exit(signal.SIGTERM, None)
    assert flag.begun
    assert not server.should_exit
    assert await server.on_tick(1) is False
    await asyncio.sleep(0.25)
    assert await server.on_tick(2) is True


async def test_every_answer_in_the_drain_says_connection_close() -> None:
    server, _ = started_server(drain_seconds=60)
    await server.on_tick(0)
    assert CLOSE_HEADER not in server.server_state.default_headers
    server.handle_exit(signal.SIGTERM, None)
    assert CLOSE_HEADER in server.server_state.default_headers
    await server.on_tick(10)  # uvicorn rebuilds the default headers (a new date) every second
    assert CLOSE_HEADER in server.server_state.default_headers


def test_a_second_signal_cuts_the_drain_short() -> None:
    server, _ = started_server(drain_seconds=60)
    server.handle_exit(signal.SIGTERM, None)
    assert not server.should_exit
    server.handle_exit(signal.SIGTERM, None)
    assert server.should_exit


def test_sigint_never_waits_for_the_drain() -> None:
    server, flag = started_server(drain_seconds=60)
    server.handle_exit(signal.SIGINT, None)
    assert flag.begun
    assert server.should_exit


def test_a_signal_before_start_up_finished_still_stops_the_server() -> None:
    server = GracefulServer(uvicorn.Config(cli.APP_FACTORY, factory=True))
    server.handle_exit(signal.SIGTERM, None)
    assert server.should_exit


def test_serve_passes_the_drain_to_the_server(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SECRET_KEY", TEST_SECRET)
    servers: list[GracefulServer] = []

    def run(server: GracefulServer) -> None:
        servers.append(server)

    monkeypatch.setattr(GracefulServer, "run", run)
    assert cli.main(["serve", "--drain-seconds", "7"]) == 0
    (server,) = servers
    assert server.drain_seconds == 7
