"""A real server for the contract test: the app under uvicorn, in a thread, on a free port.

Schemathesis sends real HTTP requests, so the server runs in its own thread and event loop,
exactly as in production, against the test session's database.
"""

from __future__ import annotations

import asyncio
import itertools
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from http import HTTPStatus

import httpx
import pytest
import uvicorn
from sqlalchemy.ext.asyncio import AsyncEngine

from {{ cookiecutter.package_name }}.admin import create_admin_account
from {{ cookiecutter.package_name }}.main import create_app
from {{ cookiecutter.package_name }}.settings import Settings
from tests.conftest import METADATA

STARTUP_TIMEOUT_SECONDS = 20.0
ADMIN_EMAIL = "contract-admin@example.com"
ADMIN_PASSWORD = "contract test passphrase"


@pytest.fixture(scope="module")
async def live_server(settings: Settings, engine: AsyncEngine) -> AsyncIterator[str]:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), log_config=None, access_log=False, lifespan="on")
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while not server.started:
        assert thread.is_alive(), "the server thread died during start-up"
        assert time.monotonic() < deadline, "the server did not start"
        await asyncio.sleep(0.05)
    assert await create_admin_account(settings, ADMIN_EMAIL, ADMIN_PASSWORD) == 0
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        listener.close()
        # Leave empty tables behind, as every other test module does.
        async with engine.begin() as conn:
            for table in reversed(METADATA.sorted_tables):
                await conn.execute(table.delete())


_client_numbers = itertools.count(1)


class AdminSession:
    """An administrator's access token, renewed only once a generated case has ended it.

    A login verifies a password hash (tens of milliseconds by design), so logging in again
    after every case would cost more than the cases; asking whether the token still works is
    a cheap read, on one kept-alive client (building a client loads the CA bundle).
    """

    def __init__(self, http: httpx.Client) -> None:
        self._http = http
        self._token: str | None = None

    def headers(self) -> dict[str, str]:
        if self._token is None:
            self._token = self._log_in()
        return {"Authorization": f"Bearer {self._token}"}

    def forget_if_ended(self) -> None:
        """Drop the token once the server no longer accepts it, so the next case logs in."""
        if self._token is None:
            return
        if self._http.get("/api/v1/users/me", headers=self.headers()).status_code != HTTPStatus.OK:
            self._token = None

    def _log_in(self) -> str:
        # The generated login attempts fail from 127.0.0.1 and get that address throttled, so
        # these logins come through the trusted local proxy as other (documentation-range)
        # clients.
        client = f"198.51.100.{next(_client_numbers) % 250 + 1}"
        response = self._http.post(
            "/api/v1/auth/login",
            data={"username": ADMIN_EMAIL, "password": ADMIN_PASSWORD},
            headers={"X-Forwarded-For": client},
        )
        response.raise_for_status()
        token: str = response.json()["access_token"]
        return token


@pytest.fixture(scope="module")
def admin_session(live_server: str) -> Iterator[AdminSession]:
    with httpx.Client(base_url=live_server, timeout=10) as http:
        yield AdminSession(http)
