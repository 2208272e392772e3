"""Concurrent login bursts through the app: what each guess got, and how many were verified.

Guessing in parallel is how an attacker would try to slip past the throttle: every guess
sent before the first answer comes back. These helpers fire such a burst through the ASGI
app and count the password verifications behind it, so a test can show how many guesses
really cost (and tested) a password.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Sequence

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient

from {{ cookiecutter.package_name }}.auth.passwords import PasswordHashing
from {{ cookiecutter.package_name }}.bootstrap import AppState

LOGIN = "/api/v1/auth/login"
WRONG = "not the right passphrase"


class CountingVerify:
    """Stands in for `PasswordHashing.verify`: counts the calls, then verifies for real."""

    def __init__(self, passwords: PasswordHashing) -> None:
        self._verify = passwords.verify
        self.calls = 0

    async def __call__(self, password_hash: str | None, password: str) -> bool:
        self.calls += 1
        return await self._verify(password_hash, password)


def count_verifications(app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> CountingVerify:
    """Count every password verification the app makes until the test ends."""
    state: AppState = app.state.app_state
    counter = CountingVerify(state.passwords)
    monkeypatch.setattr(state.passwords, "verify", counter)
    return counter


async def login_from(app: FastAPI, email: str, password: str, host: str) -> int:
    """The status of one login sent from `host` (what uvicorn reports as the client)."""
    transport = ASGITransport(app=app, client=(host, 50000))
    async with AsyncClient(transport=transport, base_url="http://testserver") as http:
        response = await http.post(LOGIN, data={"username": email, "password": password})
    return response.status_code


async def burst(
    app: FastAPI, guesses: Sequence[tuple[str, str]], password: str = WRONG
) -> Counter[int]:
    """Send every (email, client address) guess at once; count the answers by status."""
    statuses = await asyncio.gather(
        *(login_from(app, email, password, host) for email, host in guesses)
    )
    return Counter(statuses)
