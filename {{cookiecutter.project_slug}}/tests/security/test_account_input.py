"""Hostile input to the account routes every service has is a 4xx problem, never a 5xx.

Whoever authenticates the caller, `/users/me` and the administrators' `/users` routes take
JSON, paths and queries from the client: malformed, mistyped, over-long or NUL-laden input is
refused with a problem and changes nothing.{% if cookiecutter.auth_provider == "local" %} Registration and login have their own cases in
test_input_validation.py.{% endif %}
"""

from __future__ import annotations

import json

import pytest
from httpx import AsyncClient, Response
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.api_helpers import {% if cookiecutter.auth_provider == "local" %}PASSWORD, {% endif %}Account, new_account, new_admin

ME = "/api/v1/users/me"
USERS = "/api/v1/users"
JSON = {"Content-Type": "application/json"}


def assert_problem(response: Response, *statuses: int) -> None:
    assert response.status_code in statuses, (response.status_code, response.text)
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == response.status_code


@pytest.fixture
async def account(client: AsyncClient) -> Account:
    return await new_account(client)


@pytest.fixture
async def admin(client: AsyncClient, engine: AsyncEngine) -> Account:
    # The paginated list and the id routes are an administrator's; a user only gets a 403.
    return await new_admin(client, engine)


async def stored_full_name(client: AsyncClient, account: Account) -> str:
    me = await client.get(ME, headers=account.headers)
    assert me.status_code == 200, me.text
    name: str = me.json()["full_name"]
    return name


@pytest.mark.parametrize(
    "raw",
    [
        b'{"full_name": ',
        b'{"full_name": "Ann",}',
        b'{"full_name": "Ann"} trailing',
        b"{'full_name': 'Ann'}",
        b"\xef\xbb\xbf",
        b"   ",
        b'{"full_name": "\xff\xfe"}',
        b"[" * 5000 + b"]" * 5000,
    ],
    ids=[
        "truncated",
        "trailing-comma",
        "trailing-garbage",
        "single-quotes",
        "bom",
        "blank",
        "invalid-utf8",
        "deeply-nested",
    ],
)
async def test_a_malformed_update_is_a_4xx_and_changes_nothing(
    client: AsyncClient, account: Account, raw: bytes
) -> None:
    before = await stored_full_name(client, account)
    response = await client.patch(ME, content=raw, headers={**JSON, **account.headers})
    assert_problem(response, 400, 422)
    assert await stored_full_name(client, account) == before


@pytest.mark.parametrize(
    "body",
    [[], "just a string", 123, {"full_name": 123}, {"full_name": ["Ann"]}, {"is_admin": True}],
)
async def test_a_mistyped_update_is_a_422(
    client: AsyncClient, account: Account, body: object
) -> None:
    response = await client.patch(ME, json=body, headers=account.headers)
    assert_problem(response, 422)


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/xml", "application/jsonx", None],
)
async def test_an_update_in_another_content_type_is_refused(
    client: AsyncClient, account: Account, content_type: str | None
) -> None:
    before = await stored_full_name(client, account)
    headers = {"Content-Type": content_type} if content_type else {}
    raw = json.dumps({"full_name": "Not JSON to the server"}).encode()
    response = await client.patch(ME, content=raw, headers={**headers, **account.headers})
    assert_problem(response, 415, 422)
    assert await stored_full_name(client, account) == before


async def test_a_null_on_update_keeps_the_value(client: AsyncClient, account: Account) -> None:
    named = await client.patch(ME, json={"full_name": "Kept Name"}, headers=account.headers)
    assert named.status_code == 200, named.text
    response = await client.patch(ME, json={"full_name": None}, headers=account.headers)
    assert response.status_code == 200, response.text
    assert response.json()["full_name"] == "Kept Name"
    assert await stored_full_name(client, account) == "Kept Name"


@pytest.mark.parametrize(
    "body",
    [
        {"full_name": "nul\x00byte"},
        {"full_name": "\u0000"},
        {"full_name": "lone \ud800 surrogate"},
{%- if cookiecutter.auth_provider == "local" %}
        {"password": "pass\x00word-long", "current_password": PASSWORD},
{%- endif %}
    ],
)
async def test_nul_and_invalid_text_in_a_profile_update_is_a_422(
    client: AsyncClient, account: Account, body: dict[str, str]
) -> None:
    before = await stored_full_name(client, account)
    raw = json.dumps(body).encode()  # ASCII-escaped, so even a lone surrogate travels
    response = await client.patch(ME, content=raw, headers={**JSON, **account.headers})
    assert_problem(response, 422)
    assert await stored_full_name(client, account) == before


async def test_a_nul_byte_in_a_bearer_token_is_refused(client: AsyncClient) -> None:
    # Uvicorn's parsers refuse a raw NUL in a header; through ASGI it still must not crash.
    response = await client.get("/api/v1/users/me", headers={"Authorization": "Bearer a\x00b"})
    assert_problem(response, 401)


@pytest.mark.parametrize(
    "body",
    [
        {"full_name": "x" * 201},
{%- if cookiecutter.auth_provider == "local" %}
        {"password": "x" * 129, "current_password": PASSWORD},
        {"password": PASSWORD + "!", "current_password": "x" * 129},
{%- endif %}
    ],
)
async def test_an_over_long_profile_update_is_a_422(
    client: AsyncClient, account: Account, body: dict[str, str]
) -> None:
    response = await client.patch(ME, json=body, headers=account.headers)
    assert_problem(response, 422)


@pytest.mark.parametrize(
    "query",
    [
        "limit=-1",
        "limit=0",
        "limit=101",
        f"limit={10**30}",
        "limit=1e3",
        "limit=abc",
        "offset=-1",
        "offset=10001",
        f"offset={10**30}",
        "offset=%00",
    ],
)
async def test_bad_pagination_is_a_422(client: AsyncClient, admin: Account, query: str) -> None:
    response = await client.get(f"{USERS}?{query}", headers=admin.headers)
    assert_problem(response, 422)


async def test_a_malformed_id_in_the_path_is_a_4xx(client: AsyncClient, admin: Account) -> None:
    for user_id in ("not-a-uuid", "1", "%00", "' OR 1=1 --"):
        for method in ("GET", "PATCH", "DELETE"):
            response = await client.request(
                method,
                f"{USERS}/{user_id}",
                json={} if method == "PATCH" else None,
                headers=admin.headers,
            )
            assert_problem(response, 404, 422)


async def test_a_json_endpoint_refuses_form_data(client: AsyncClient, account: Account) -> None:
    before = await stored_full_name(client, account)
    response = await client.patch(ME, data={"full_name": "from a form"}, headers=account.headers)
    assert_problem(response, 415, 422)
    assert await stored_full_name(client, account) == before
