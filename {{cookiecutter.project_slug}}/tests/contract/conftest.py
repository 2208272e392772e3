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
{%- if cookiecutter.auth_provider == "oidc" %}
import uuid
{%- endif %}
from collections.abc import AsyncIterator, Iterator
from http import HTTPStatus

import httpx
import pytest
import uvicorn
from sqlalchemy.ext.asyncio import AsyncEngine

{% if cookiecutter.auth_provider == "local" %}from {{ cookiecutter.package_name }}.admin import create_admin_account
{% endif %}from {{ cookiecutter.package_name }}.main import create_app
from {{ cookiecutter.package_name }}.settings import Settings
{%- if cookiecutter.auth_provider == "oidc" %}
from tests.api_helpers import ADMIN_ROLE, token_for
{%- endif %}
from tests.conftest import METADATA

STARTUP_TIMEOUT_SECONDS = 20.0
{%- if cookiecutter.auth_provider == "local" %}
ADMIN_EMAIL = "contract-admin@example.com"
ADMIN_PASSWORD = "contract test passphrase"
{%- endif %}


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
{%- if cookiecutter.auth_provider == "local" %}
    assert await create_admin_account(settings, ADMIN_EMAIL, ADMIN_PASSWORD) == 0
{%- endif %}
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
{%- if cookiecutter.auth_provider == "local" %}

    A login verifies a password hash (tens of milliseconds by design), so logging in again
    after every case would cost more than the cases; asking whether the token still works is
    a cheap read, on one kept-alive client (building a client loads the CA bundle).
{%- else %}

    A token of the test provider with the administrator role, for a new subject each time:
    a generated case may disable the account, and the next token then starts afresh.
{%- endif %}
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
{%- if cookiecutter.auth_provider == "oidc" %}
        subject = uuid.uuid4().hex
        return token_for(subject, f"admin-{subject}@example.com", roles=(ADMIN_ROLE,))
{%- else %}
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
{%- endif %}


@pytest.fixture(scope="module")
def admin_session(live_server: str) -> Iterator[AdminSession]:
    with httpx.Client(base_url=live_server, timeout=10) as http:
        yield AdminSession(http)
