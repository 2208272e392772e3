"""Administration of accounts: role changes, disabling, deletion, session revocation."""

from __future__ import annotations

import uuid

from httpx import AsyncClient
{%- if cookiecutter.include_example_resource %}
from sqlalchemy import func, select
{%- endif %}
from sqlalchemy.ext.asyncio import AsyncEngine

{% if cookiecutter.include_example_resource -%}
from {{ cookiecutter.package_name }}.notes.models import Note
{% endif -%}
from tests.api_helpers import Account, new_account, new_admin


async def _id(client: AsyncClient, account: Account) -> str:
    me = await client.get("/api/v1/users/me", headers=account.headers)
    user_id: str = me.json()["id"]
    return user_id


async def test_admin_routes_answer_401_anonymous_and_403_to_users(client: AsyncClient) -> None:
    user = await new_account(client)
    target = f"/api/v1/users/{uuid.uuid4()}"
    for method in ("GET", "PATCH", "DELETE"):
        anonymous = await client.request(method, target, json={} if method == "PATCH" else None)
        assert anonymous.status_code == 401
        forbidden = await client.request(
            method, target, json={} if method == "PATCH" else None, headers=user.headers
        )
        assert forbidden.status_code == 403
{%- if cookiecutter.auth_provider == "local" %}


async def test_an_admin_promotes_and_demotes_another_account(
    client: AsyncClient, engine: AsyncEngine
) -> None:
    admin = await new_admin(client, engine)
    user = await new_account(client)
    url = f"/api/v1/users/{await _id(client, user)}"
    promoted = await client.patch(url, json={"is_admin": True}, headers=admin.headers)
    assert promoted.status_code == 200
    assert promoted.json()["is_admin"] is True
    assert (await client.get("/api/v1/users", headers=user.headers)).status_code == 200

    demoted = await client.patch(url, json={"is_admin": False}, headers=admin.headers)
    assert demoted.json()["is_admin"] is False
    # The role is read from the database on each request: the old token lost its power at once.
    assert (await client.get("/api/v1/users", headers=user.headers)).status_code == 403
{%- endif %}
{%- if cookiecutter.auth_provider == "local" %}


async def test_the_last_admin_cannot_demote_disable_or_delete_itself(
    client: AsyncClient, engine: AsyncEngine
) -> None:
    admin = await new_admin(client, engine)
    url = f"/api/v1/users/{await _id(client, admin)}"
    for change in ({"is_admin": False}, {"is_active": False}):
        response = await client.patch(url, json=change, headers=admin.headers)
        assert response.status_code == 409
        assert "last active administrator" in response.json()["detail"]
    assert (await client.delete(url, headers=admin.headers)).status_code == 409
    assert (await client.get(url, headers=admin.headers)).json()["is_admin"] is True
{%- endif %}
{%- if cookiecutter.auth_provider == "local" %}


async def test_with_two_admins_one_may_step_down(client: AsyncClient, engine: AsyncEngine) -> None:
    first = await new_admin(client, engine)
    await new_admin(client, engine)
    url = f"/api/v1/users/{await _id(client, first)}"
    response = await client.patch(url, json={"is_admin": False}, headers=first.headers)
    assert response.status_code == 200
{%- endif %}
{%- if cookiecutter.auth_provider == "local" %}


async def test_disabling_an_account_ends_its_sessions(
    client: AsyncClient, engine: AsyncEngine
) -> None:
    admin = await new_admin(client, engine)
    user = await new_account(client)
    url = f"/api/v1/users/{await _id(client, user)}"
    response = await client.patch(url, json={"is_active": False}, headers=admin.headers)
    assert response.status_code == 200
    assert (await client.get("/api/v1/users/me", headers=user.headers)).status_code == 401
    refresh = await client.post("/api/v1/auth/refresh", json={"refresh_token": user.refresh_token})
    assert refresh.status_code == 401
{%- endif %}
{%- if cookiecutter.auth_provider == "local" %}


async def test_revoking_sessions_ends_access_but_keeps_the_account(
    client: AsyncClient, engine: AsyncEngine
) -> None:
    admin = await new_admin(client, engine)
    user = await new_account(client)
    user_id = await _id(client, user)
    revoke = await client.post(f"/api/v1/users/{user_id}/revoke-sessions", headers=admin.headers)
    assert revoke.status_code == 204
    assert (await client.get("/api/v1/users/me", headers=user.headers)).status_code == 401
    read = await client.get(f"/api/v1/users/{user_id}", headers=admin.headers)
    assert read.json()["is_active"] is True
{%- endif %}


async def test_deleting_an_account_removes_it_and_what_it_owns(
    client: AsyncClient, engine: AsyncEngine
) -> None:
    admin = await new_admin(client, engine)
    user = await new_account(client)
{%- if cookiecutter.include_example_resource %}
    created = await client.post("/api/v1/notes", json={"title": "mine"}, headers=user.headers)
    assert created.status_code == 201, created.text
{%- endif %}
    user_id = await _id(client, user)
    assert (
        await client.delete(f"/api/v1/users/{user_id}", headers=admin.headers)
    ).status_code == 204
    assert (await client.get(f"/api/v1/users/{user_id}", headers=admin.headers)).status_code == 404
{%- if cookiecutter.auth_provider == "oidc" %}
    # The subject still holds a valid token: its next request opens a new, empty account.
    again = await client.get("/api/v1/users/me", headers=user.headers)
    assert again.status_code == 200
    assert again.json()["id"] != user_id
{%- else %}
    assert (await client.get("/api/v1/users/me", headers=user.headers)).status_code == 401
    refresh = await client.post("/api/v1/auth/refresh", json={"refresh_token": user.refresh_token})
    assert refresh.status_code == 401
{%- endif %}
{%- if cookiecutter.include_example_resource %}
    # The account's rows go with it (ON DELETE CASCADE), not only out of the API's sight.
    async with engine.connect() as conn:
        assert await conn.scalar(select(func.count()).select_from(Note)) == 0
{%- endif %}


async def test_unknown_accounts_are_404(client: AsyncClient, engine: AsyncEngine) -> None:
    admin = await new_admin(client, engine)
    missing = f"/api/v1/users/{uuid.uuid4()}"
    assert (await client.patch(missing, json={}, headers=admin.headers)).status_code == 404
    assert (await client.delete(missing, headers=admin.headers)).status_code == 404
{%- if cookiecutter.auth_provider == "local" %}
    revoke = await client.post(f"{missing}/revoke-sessions", headers=admin.headers)
    assert revoke.status_code == 404
{%- endif %}


async def test_roles_cannot_be_set_through_unknown_fields(
    client: AsyncClient, engine: AsyncEngine
) -> None:
    admin = await new_admin(client, engine)
    user = await new_account(client)
    url = f"/api/v1/users/{await _id(client, user)}"
    response = await client.patch(url, json={"role": "owner"}, headers=admin.headers)
    assert response.status_code == 422
