from __future__ import annotations

from httpx import AsyncClient
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine

from {{ cookiecutter.package_name }}.auth.models import User
from tests.api_helpers import {% if cookiecutter.auth_provider == "local" %}PASSWORD, Account, login, new_account{% else %}ADMIN_ROLE, Account, new_account, token_for{% endif %}
{%- if cookiecutter.auth_provider == "local" %}


async def _make_admin(engine: AsyncEngine, account: Account) -> Account:
    async with engine.begin() as conn:
        await conn.execute(update(User).where(User.email == account.email).values(is_admin=True))
    return account
{%- else %}


async def _make_admin(engine: AsyncEngine, account: Account) -> Account:
    """The same subject, with a token carrying the administrator role the provider granted."""
    del engine  # the role comes from the provider's token, not from the database
    token = token_for(account.subject, account.email, roles=(ADMIN_ROLE,))
    return Account(account.email, account.subject, token)
{%- endif %}


async def test_me_returns_the_caller(client: AsyncClient) -> None:
    account = await new_account(client)
    response = await client.get("/api/v1/users/me", headers=account.headers)
    assert response.status_code == 200
    assert response.json()["email"] == account.email
    assert response.headers["cache-control"] == "no-store"


async def test_update_me_changes_the_name(client: AsyncClient) -> None:
    account = await new_account(client)
    response = await client.patch(
        "/api/v1/users/me", json={"full_name": "Ada Lovelace"}, headers=account.headers
    )
    assert response.status_code == 200
    assert response.json()["full_name"] == "Ada Lovelace"


async def test_update_me_refuses_to_grant_admin(client: AsyncClient) -> None:
    account = await new_account(client)
    response = await client.patch(
        "/api/v1/users/me", json={"is_admin": True}, headers=account.headers
    )
    assert response.status_code == 422
{%- if cookiecutter.auth_provider == "local" %}


async def test_password_change_needs_the_current_password(client: AsyncClient) -> None:
    account = await new_account(client)
    response = await client.patch(
        "/api/v1/users/me",
        json={"password": "a brand new passphrase", "current_password": "wrong password"},
        headers=account.headers,
    )
    assert response.status_code == 403
{%- endif %}
{%- if cookiecutter.auth_provider == "local" %}


async def test_password_change_ends_every_session(client: AsyncClient) -> None:
    account = await new_account(client)
    new_password = "a brand new passphrase"
    response = await client.patch(
        "/api/v1/users/me",
        json={"password": new_password, "current_password": PASSWORD},
        headers=account.headers,
    )
    assert response.status_code == 200
    assert (await client.get("/api/v1/users/me", headers=account.headers)).status_code == 401
    refresh = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": account.refresh_token}
    )
    assert refresh.status_code == 401
    assert (await login(client, account.email, new_password))["access_token"]
{%- endif %}


async def test_user_list_is_for_admins_only(client: AsyncClient, engine: AsyncEngine) -> None:
    anonymous = await client.get("/api/v1/users")
    assert anonymous.status_code == 401

    account = await new_account(client)
    assert (await client.get("/api/v1/users", headers=account.headers)).status_code == 403

    account = await _make_admin(engine, account)
    response = await client.get("/api/v1/users", headers=account.headers)
    assert response.status_code == 200
    body = response.json()
    assert [user["email"] for user in body["items"]] == [account.email]
    assert body["next_cursor"] is None


async def test_user_list_pages(client: AsyncClient, engine: AsyncEngine) -> None:
    admin = await new_account(client, "admin")
    admin = await _make_admin(engine, admin)
    for _ in range(2):
        await new_account(client)
    first_page = await client.get("/api/v1/users?limit=2", headers=admin.headers)
    first = first_page.json()
    assert (
        first_page.headers["link"]
        == f'</api/v1/users?limit=2&cursor={first["next_cursor"]}>; rel="next"'
    )
    second = (
        await client.get(
            "/api/v1/users",
            params={"limit": 2, "cursor": first["next_cursor"]},
            headers=admin.headers,
        )
    ).json()
    assert len(first["items"]) == 2
    assert first["items"][0]["email"] == admin.email  # oldest first
    assert len(second["items"]) == 1
    assert second["next_cursor"] is None
    emails = {user["email"] for user in first["items"] + second["items"]}
    assert len(emails) == 3


async def test_a_disabled_account_loses_access_at_once(
    client: AsyncClient, engine: AsyncEngine
) -> None:
    account = await new_account(client)
    async with engine.begin() as conn:
        await conn.execute(update(User).where(User.email == account.email).values(is_active=False))
    assert (await client.get("/api/v1/users/me", headers=account.headers)).status_code == 401
{%- if cookiecutter.auth_provider == "local" %}
    relogin = await client.post(
        "/api/v1/auth/login", data={"username": account.email, "password": PASSWORD}
    )
    assert relogin.status_code == 401
{%- endif %}
