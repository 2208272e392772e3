{% if cookiecutter.auth_provider == "local" -%}
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
{% else -%}
"""Small HTTP helpers the API tests share: accounts signed in through the test provider.

The service has no login of its own: an account is a subject of the OIDC provider, created
the first time one of its tokens is used. These helpers sign tokens with the test provider
(tests/oidc_issuer.py) and make that first call, so a test starts with a provisioned account.
"""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass

from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.oidc_issuer import running_issuer

ADMIN_ROLE = "admin"
_counter = itertools.count()


@dataclass(frozen=True)
class Account:
    email: str
    subject: str
    access_token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}{next(_counter)}@example.com"


def token_for(subject: str, email: str, *, roles: tuple[str, ...] = ()) -> str:
    """A valid access token of the test provider for this subject."""
    claims = {"email": email, "email_verified": True, "roles": list(roles)}
    return running_issuer().token(subject, claims=claims)


async def signed_in(client: AsyncClient, email: str, *, roles: tuple[str, ...] = ()) -> Account:
    """An account for a new subject, provisioned by its first request."""
    subject = uuid.uuid4().hex
    account = Account(email, subject, token_for(subject, email, roles=roles))
    response = await client.get("/api/v1/users/me", headers=account.headers)
    assert response.status_code == 200, response.text
    return account


async def new_account(client: AsyncClient, prefix: str = "user") -> Account:
    return await signed_in(client, unique_email(prefix))


async def new_admin(client: AsyncClient, engine: AsyncEngine) -> Account:
    """An account whose token carries the administrator role (the provider grants it)."""
    del engine  # the role comes from the provider, not from the database
    return await signed_in(client, unique_email("admin"), roles=(ADMIN_ROLE,))
{% endif -%}
