from __future__ import annotations

from httpx import AsyncClient

from tests.api_helpers import PASSWORD, login, new_account, register, unique_email


async def test_register_creates_an_account_without_admin_rights(client: AsyncClient) -> None:
    email = unique_email()
    body = await register(client, email.upper())
    assert body["email"] == email
    assert body["is_admin"] is False
    assert "password" not in body
    assert "password_hash" not in body


async def test_register_rejects_a_duplicate_email_with_409(client: AsyncClient) -> None:
    email = unique_email()
    await register(client, email)
    response = await client.post(
        "/api/v1/auth/register", json={"email": email, "password": PASSWORD}
    )
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"


async def test_register_refuses_an_admin_flag(client: AsyncClient) -> None:
    response = await client.post(
        "/api/v1/auth/register",
        json={"email": unique_email(), "password": PASSWORD, "is_admin": True},
    )
    assert response.status_code == 422


async def test_register_refuses_a_short_password_without_echoing_it(client: AsyncClient) -> None:
    response = await client.post(
        "/api/v1/auth/register", json={"email": unique_email(), "password": "s3cr!t"}
    )
    assert response.status_code == 422
    assert "s3cr!t" not in response.text


async def test_login_returns_a_token_pair_that_is_never_cached(client: AsyncClient) -> None:
    email = unique_email()
    await register(client, email)
    response = await client.post(
        "/api/v1/auth/login", data={"username": email, "password": PASSWORD}
    )
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 900
    assert body["access_token"] != body["refresh_token"]


async def test_wrong_password_and_unknown_user_get_the_same_answer(client: AsyncClient) -> None:
    email = unique_email()
    await register(client, email)
    wrong = await client.post(
        "/api/v1/auth/login", data={"username": email, "password": "nope-nope-nope"}
    )
    unknown = await client.post(
        "/api/v1/auth/login", data={"username": unique_email(), "password": PASSWORD}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert wrong.headers["www-authenticate"] == "Bearer"


async def test_refresh_rotates_and_the_used_token_dies(client: AsyncClient) -> None:
    account = await new_account(client)
    first = await client.post("/api/v1/auth/refresh", json={"refresh_token": account.refresh_token})
    assert first.status_code == 200
    rotated = first.json()["refresh_token"]
    assert rotated != account.refresh_token

    replay = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": account.refresh_token}
    )
    assert replay.status_code == 401


async def test_replaying_a_used_refresh_token_revokes_the_whole_family(client: AsyncClient) -> None:
    account = await new_account(client)
    first = await client.post("/api/v1/auth/refresh", json={"refresh_token": account.refresh_token})
    newest = first.json()

    await client.post("/api/v1/auth/refresh", json={"refresh_token": account.refresh_token})

    after = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": newest["refresh_token"]}
    )
    assert after.status_code == 401
    me = await client.get(
        "/api/v1/users/me", headers={"Authorization": f"Bearer {newest['access_token']}"}
    )
    assert me.status_code == 401


async def test_an_access_token_is_refused_as_a_refresh_token(client: AsyncClient) -> None:
    account = await new_account(client)
    response = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": account.access_token[:256]}
    )
    assert response.status_code == 401


async def test_a_refresh_token_is_refused_as_an_access_token(client: AsyncClient) -> None:
    account = await new_account(client)
    response = await client.get(
        "/api/v1/users/me", headers={"Authorization": f"Bearer {account.refresh_token}"}
    )
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


async def test_logout_ends_access_and_refresh_at_once(client: AsyncClient) -> None:
    account = await new_account(client)
    response = await client.post("/api/v1/auth/logout", headers=account.headers)
    assert response.status_code == 204

    assert (await client.get("/api/v1/users/me", headers=account.headers)).status_code == 401
    refresh = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": account.refresh_token}
    )
    assert refresh.status_code == 401


async def test_logout_leaves_the_other_sessions_of_the_user_open(client: AsyncClient) -> None:
    account = await new_account(client)
    other = await login(client, account.email)
    await client.post("/api/v1/auth/logout", headers=account.headers)
    response = await client.get(
        "/api/v1/users/me", headers={"Authorization": f"Bearer {other['access_token']}"}
    )
    assert response.status_code == 200


async def test_missing_or_malformed_credentials_answer_401(client: AsyncClient) -> None:
    missing = await client.get("/api/v1/users/me")
    garbage = await client.get("/api/v1/users/me", headers={"Authorization": "Bearer not.a.jwt"})
    wrong_scheme = await client.get(
        "/api/v1/users/me", headers={"Authorization": "Basic Zm9vOmJhcg=="}
    )
    for response in (missing, garbage, wrong_scheme):
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"
        assert response.headers["content-type"] == "application/problem+json"


async def test_a_token_in_the_query_string_is_ignored(client: AsyncClient) -> None:
    account = await new_account(client)
    response = await client.get(f"/api/v1/users/me?access_token={account.access_token}")
    assert response.status_code == 401
