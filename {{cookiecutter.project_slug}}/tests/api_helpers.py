"""Small HTTP helpers the API tests share: register, log in, build auth headers, promote."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from httpx import AsyncClient
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine

from {{ cookiecutter.package_name }}.auth.models import User

PASSWORD = "correct horse battery staple"
_counter = itertools.count()


@dataclass(frozen=True)
class Account:
    email: str
    password: str
    access_token: str
    refresh_token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}{next(_counter)}@example.com"


async def register(client: AsyncClient, email: str, password: str = PASSWORD) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/auth/register", json={"email": email, "password": password}
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def login(client: AsyncClient, email: str, password: str = PASSWORD) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/auth/login", data={"username": email, "password": password}
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def new_account(client: AsyncClient, prefix: str = "user") -> Account:
    email = unique_email(prefix)
    await register(client, email)
    tokens = await login(client, email)
    return Account(email, PASSWORD, tokens["access_token"], tokens["refresh_token"])


async def new_admin(client: AsyncClient, engine: AsyncEngine) -> Account:
    """A fresh account made an administrator directly in the database (no API can do it)."""
    account = await new_account(client, "admin")
    async with engine.begin() as conn:
        await conn.execute(update(User).where(User.email == account.email).values(is_admin=True))
    return account
