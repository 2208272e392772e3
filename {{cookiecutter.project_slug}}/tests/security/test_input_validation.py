"""Hostile input is a 4xx problem, never a 2xx and never a 5xx; and no 422 echoes a password."""

from __future__ import annotations

import json
from typing import Any

import pytest
from httpx import AsyncClient, Response
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.api_helpers import PASSWORD, Account, new_account, new_admin, register, unique_email

REGISTER = "/api/v1/auth/register"
LOGIN = "/api/v1/auth/login"
ME = "/api/v1/users/me"
USERS = "/api/v1/users"
JSON = {"Content-Type": "application/json"}
# A password nobody would type by chance: if it shows up in an answer, the answer echoed it.
SECRET_MARKER = "Sekr1t-Marker-7f3a9c"


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
        b'{"email": ',
        b'{"email": "a@example.com",}',
        b'{"email": "a@example.com"} trailing',
        b"{'email': 'a@example.com'}",
        b"\xef\xbb\xbf",
        b"   ",
    ],
    ids=["truncated", "trailing-comma", "trailing-garbage", "single-quotes", "bom", "blank"],
)
async def test_malformed_json_is_a_4xx(client: AsyncClient, raw: bytes) -> None:
    response = await client.post(REGISTER, content=raw, headers=JSON)
    assert_problem(response, 400, 422)


async def test_invalid_utf8_is_a_400(client: AsyncClient) -> None:
    response = await client.post(REGISTER, content=b'{"email": "\xff\xfe"}', headers=JSON)
    assert_problem(response, 400)


async def test_deeply_nested_json_is_a_4xx(client: AsyncClient) -> None:
    # Under the body limit, but deep enough to exhaust the JSON parser's recursion.
    depth = 5000
    raw = b"[" * depth + b"]" * depth
    response = await client.post(REGISTER, content=raw, headers=JSON)
    assert_problem(response, 400, 422)


@pytest.mark.parametrize(
    "body",
    [
        [],
        "just a string",
        123,
        {"email": 123, "password": PASSWORD},
        {"email": ["a@example.com"], "password": PASSWORD},
        {"email": "a@example.com", "password": {"$ne": ""}},
        {"email": "a@example.com", "password": 12345678},
        {"email": "a@example.com", "password": True},
        {"email": "not-an-email", "password": PASSWORD},
    ],
)
async def test_wrong_types_at_registration_are_a_422(client: AsyncClient, body: Any) -> None:
    response = await client.post(REGISTER, json=body)
    assert_problem(response, 422)


@pytest.mark.parametrize(
    "body",
    [
        {"email": None, "password": PASSWORD},
        {"email": "a@example.com", "password": None},
        {"email": "a@example.com"},
        {},
        None,
    ],
)
async def test_null_or_missing_required_fields_are_a_422(client: AsyncClient, body: Any) -> None:
    response = await client.post(REGISTER, content=json.dumps(body), headers=JSON)
    assert_problem(response, 422)


async def test_a_null_for_a_defaulted_field_on_create_is_a_422(client: AsyncClient) -> None:
    # `full_name` may be left out (it defaults to ""), but null must not reach the NOT NULL
    # column as a 500.
    body = {"email": unique_email(), "password": PASSWORD, "full_name": None}
    response = await client.post(REGISTER, json=body)
    assert_problem(response, 422)


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
        {"password": "pass\x00word-long", "current_password": PASSWORD},
    ],
)
async def test_nul_and_invalid_text_in_a_profile_update_is_a_422(
    client: AsyncClient, account: Account, body: dict[str, str]
) -> None:
    raw = json.dumps(body).encode()  # ASCII-escaped, so even a lone surrogate travels
    response = await client.patch(ME, content=raw, headers={**JSON, **account.headers})
    assert_problem(response, 422)
    assert await stored_full_name(client, account) == ""


@pytest.mark.parametrize(
    "body",
    [
        {"email": "nul\x00@example.com", "password": PASSWORD},
        {"email": "a@example.com", "password": "pass\x00word-long"},
        {"email": "a@example.com", "password": PASSWORD, "full_name": "Ann\x00"},
    ],
)
async def test_nul_bytes_at_registration_are_a_422(
    client: AsyncClient, body: dict[str, str]
) -> None:
    response = await client.post(REGISTER, json=body)
    assert_problem(response, 422)


@pytest.mark.parametrize(
    ("username", "password"),
    [("nul\x00@example.com", PASSWORD), ("a@example.com", "pass\x00word")],
)
async def test_nul_bytes_at_login_are_refused_without_a_5xx(
    client: AsyncClient, username: str, password: str
) -> None:
    response = await client.post(LOGIN, data={"username": username, "password": password})
    assert_problem(response, 401, 422)


async def test_a_nul_byte_in_a_refresh_token_is_refused(client: AsyncClient) -> None:
    response = await client.post("/api/v1/auth/refresh", json={"refresh_token": "abc\x00def"})
    assert_problem(response, 401, 422)


async def test_a_nul_byte_in_a_bearer_token_is_refused(client: AsyncClient) -> None:
    # Uvicorn's parsers refuse a raw NUL in a header; through ASGI it still must not crash.
    response = await client.get("/api/v1/users/me", headers={"Authorization": "Bearer a\x00b"})
    assert_problem(response, 401)


@pytest.mark.parametrize(
    ("path", "body"),
    [
        (REGISTER, {"email": "a@example.com", "password": "x" * 129}),
        (REGISTER, {"email": "a" * 300 + "@example.com", "password": PASSWORD}),
        (REGISTER, {"email": "a@example.com", "password": PASSWORD, "full_name": "x" * 201}),
        ("/api/v1/auth/refresh", {"refresh_token": "x" * 257}),
    ],
)
async def test_over_long_strings_are_a_422(
    client: AsyncClient, path: str, body: dict[str, str]
) -> None:
    response = await client.post(path, json=body)
    assert_problem(response, 422)


async def test_an_over_long_profile_update_is_a_422(client: AsyncClient, account: Account) -> None:
    for body in (
        {"full_name": "x" * 201},
        {"password": "x" * 129, "current_password": PASSWORD},
        {"password": PASSWORD + "!", "current_password": "x" * 129},
    ):
        response = await client.patch(ME, json=body, headers=account.headers)
        assert_problem(response, 422)


async def test_a_long_login_password_is_a_401_not_a_5xx(client: AsyncClient) -> None:
    # The login form has no length rule of its own; the auth body limit bounds the hashing.
    response = await client.post(LOGIN, data={"username": unique_email(), "password": "x" * 8000})
    assert_problem(response, 401)


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


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=xyz",
        "application/xml",
        "application/jsonx",
        None,
    ],
)
async def test_a_json_endpoint_refuses_other_content_types(
    client: AsyncClient, content_type: str | None
) -> None:
    email = unique_email()
    headers = {"Content-Type": content_type} if content_type else {}
    raw = json.dumps({"email": email, "password": PASSWORD}).encode()
    response = await client.post(REGISTER, content=raw, headers=headers)
    assert_problem(response, 415, 422)
    # Nothing was created: the same registration as JSON succeeds afterwards.
    await register(client, email)


async def test_a_json_endpoint_refuses_form_data(client: AsyncClient, account: Account) -> None:
    response = await client.patch(ME, data={"full_name": "from a form"}, headers=account.headers)
    assert_problem(response, 415, 422)
    assert await stored_full_name(client, account) == ""


async def test_a_json_content_type_with_a_suffix_is_accepted(client: AsyncClient) -> None:
    raw = json.dumps({"email": unique_email(), "password": PASSWORD}).encode()
    response = await client.post(
        REGISTER, content=raw, headers={"Content-Type": "application/json; charset=utf-8"}
    )
    assert response.status_code == 201, response.text


async def test_the_login_form_refuses_json(client: AsyncClient) -> None:
    response = await client.post(LOGIN, json={"username": unique_email(), "password": PASSWORD})
    assert_problem(response, 415, 422)


@pytest.mark.parametrize(
    "body",
    [
        {"email": "a@example.com", "password": SECRET_MARKER + "\x01"},
        {"email": "a@example.com", "password": SECRET_MARKER * 10},
        {"email": "a@example.com", "password": SECRET_MARKER, "is_admin": True},
        {"email": "not-an-email", "password": SECRET_MARKER},
        {"email": SECRET_MARKER, "password": SECRET_MARKER},
    ],
)
async def test_a_422_never_echoes_the_submitted_password(
    client: AsyncClient, body: dict[str, Any]
) -> None:
    response = await client.post(REGISTER, json=body)
    assert_problem(response, 422)
    assert SECRET_MARKER not in response.text
    assert response.json()["errors"]


async def test_a_rejected_password_change_never_echoes_it(
    client: AsyncClient, account: Account
) -> None:
    response = await client.patch(
        "/api/v1/users/me",
        json={"password": SECRET_MARKER + "\x00", "current_password": SECRET_MARKER * 10},
        headers=account.headers,
    )
    assert_problem(response, 422)
    assert SECRET_MARKER not in response.text
