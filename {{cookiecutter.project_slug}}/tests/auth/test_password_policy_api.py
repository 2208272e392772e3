"""The password policy over HTTP and the command line (ASVS 5.0 V6.2).

8 to 128 characters of any Unicode, kept whole; no composition rules; and none of the
passwords attackers try first, at registration, password change and administrator creation.
"""

from __future__ import annotations

import pytest
from httpx import AsyncClient, Response

from {{ cookiecutter.package_name }}.admin import create_admin_account
from {{ cookiecutter.package_name }}.settings import Settings
from tests.api_helpers import PASSWORD, login, new_account, register, unique_email

REGISTER = "/api/v1/auth/register"
COMMON = ["password1", "Password123", "QWERTYUIOP", "iLoveYou1", "zaq12wsx", "123456789012"]


def assert_too_common(response: Response, password: str) -> None:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    (error,) = response.json()["errors"]
    assert error["type"] == "password_too_common"
    assert error["loc"][-1] == "password"
    assert "too common" in error["msg"]
    # Never echoed, in any case.
    assert password.lower() not in response.text.lower()


@pytest.mark.parametrize("password", COMMON)
async def test_registration_refuses_a_common_password_in_any_case(
    client: AsyncClient, password: str
) -> None:
    email = unique_email()
    response = await client.post(REGISTER, json={"email": email, "password": password})
    assert_too_common(response, password)
    # Nothing was created: the same email registers with a good password.
    await register(client, email)


@pytest.mark.parametrize(
    "password",
    [
        "Ünïcödé1",  # 8 characters, more bytes: length counts characters
        "lowercase only words here",  # no composition rules
        "80417236591",
        "🔒🔑🗝️🚪🏠🌙⭐🌲",
        "  spaces  at both ends  ",
    ],
)
async def test_any_uncommon_password_of_an_allowed_length_is_accepted_as_given(
    client: AsyncClient, password: str
) -> None:
    email = unique_email()
    await register(client, email, password)
    await login(client, email, password)
    # Kept exactly: the same text without its last character is a different password.
    response = await client.post(
        "/api/v1/auth/login", data={"username": email, "password": password[:-1]}
    )
    assert response.status_code == 401


async def test_a_128_character_password_is_kept_whole_and_129_is_refused(
    client: AsyncClient,
) -> None:
    longest = "long passphrase " * 8
    assert len(longest) == 128
    email = unique_email()
    await register(client, email, longest)
    truncated = await client.post(
        "/api/v1/auth/login", data={"username": email, "password": longest[:72]}
    )
    assert truncated.status_code == 401
    await login(client, email, longest)

    too_long = await client.post(
        REGISTER, json={"email": unique_email(), "password": longest + "x"}
    )
    assert too_long.status_code == 422
    assert too_long.json()["errors"][0]["type"] == "string_too_long"


async def test_a_password_change_to_a_common_password_is_refused(client: AsyncClient) -> None:
    account = await new_account(client)
    response = await client.patch(
        "/api/v1/users/me",
        json={"password": "Baseball1", "current_password": PASSWORD},
        headers=account.headers,
    )
    assert_too_common(response, "Baseball1")
    # The old password still works and the session was not ended.
    assert (await client.get("/api/v1/users/me", headers=account.headers)).status_code == 200
    await login(client, account.email, PASSWORD)


async def test_a_password_change_to_an_uncommon_password_is_accepted(
    client: AsyncClient,
) -> None:
    account = await new_account(client)
    new_password = "a brand new passphrase"
    response = await client.patch(
        "/api/v1/users/me",
        json={"password": new_password, "current_password": PASSWORD},
        headers=account.headers,
    )
    assert response.status_code == 200, response.text
    await login(client, account.email, new_password)


async def test_create_admin_refuses_a_common_password_without_echoing_it(
    client: AsyncClient, settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await create_admin_account(settings, "root@example.com", "Password123") == 1
    error = capsys.readouterr().err
    assert "password" in error
    assert "too common" in error
    assert "password123" not in error.lower()
    # No account was created: the address is still free.
    assert await create_admin_account(settings, "root@example.com", PASSWORD) == 0
