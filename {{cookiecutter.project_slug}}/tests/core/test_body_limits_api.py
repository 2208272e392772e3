"""Request bodies are bounded: declared or streamed, a body over the limit is a 413 problem."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from httpx import AsyncClient, Response

from tests.api_helpers import {% if cookiecutter.auth_provider == "local" %}PASSWORD, {% endif %}Account, new_account{% if cookiecutter.auth_provider == "local" %}, unique_email{% endif %}

MAX_BODY_BYTES = 1024 * 1024
{%- if cookiecutter.auth_provider == "local" %}
MAX_AUTH_BODY_BYTES = 16 * 1024
{%- endif %}
JSON = {"Content-Type": "application/json"}
# An authenticated JSON endpoint outside auth/: the general limit applies to it.
ME = "/api/v1/users/me"


def padded_json(value: dict[str, Any], size: int) -> bytes:
    """`value` as JSON, padded with insignificant whitespace to exactly `size` bytes."""
    encoded = json.dumps(value).encode()
    assert len(encoded) <= size
    return encoded + b" " * (size - len(encoded))


async def in_chunks(data: bytes, chunk_size: int = 64 * 1024) -> AsyncIterator[bytes]:
    """Stream `data` with no Content-Length: httpx sends it chunked."""
    for start in range(0, len(data), chunk_size):
        yield data[start : start + chunk_size]


async def full_name(client: AsyncClient, account: Account) -> str:
    """The account's stored name: what a refused update must have left alone."""
    me = await client.get(ME, headers=account.headers)
    assert me.status_code == 200, me.text
    name: str = me.json()["full_name"]
    return name


def assert_too_large(response: Response, limit: int) -> None:
    assert response.status_code == 413, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 413
    assert body["type"].endswith(":content-too-large")
    assert body["max_body_bytes"] == limit
    # Refused early, but still inside the request-context middleware.
    assert "x-request-id" in response.headers


async def test_a_declared_length_over_the_limit_is_refused(client: AsyncClient) -> None:
    account = await new_account(client)
    before = await full_name(client, account)
    response = await client.patch(
        ME,
        content=padded_json({"full_name": "big"}, MAX_BODY_BYTES + 1),
        headers={**JSON, **account.headers},
    )
    assert_too_large(response, MAX_BODY_BYTES)
    assert await full_name(client, account) == before


async def test_a_body_at_the_limit_is_accepted(client: AsyncClient) -> None:
    account = await new_account(client)
    response = await client.patch(
        ME,
        content=padded_json({"full_name": "exactly one MiB"}, MAX_BODY_BYTES),
        headers={**JSON, **account.headers},
    )
    assert response.status_code == 200, response.text
    assert response.json()["full_name"] == "exactly one MiB"


async def test_a_streamed_body_over_the_limit_is_refused(client: AsyncClient) -> None:
    account = await new_account(client)
    before = await full_name(client, account)
    data = padded_json({"full_name": "streamed"}, MAX_BODY_BYTES + 1)
    response = await client.patch(ME, content=in_chunks(data), headers={**JSON, **account.headers})
    assert "content-length" not in response.request.headers
    assert response.request.headers["transfer-encoding"] == "chunked"
    assert_too_large(response, MAX_BODY_BYTES)
    assert await full_name(client, account) == before


async def test_a_streamed_body_at_the_limit_is_accepted(client: AsyncClient) -> None:
    account = await new_account(client)
    data = padded_json({"full_name": "streamed, just fits"}, MAX_BODY_BYTES)
    response = await client.patch(ME, content=in_chunks(data), headers={**JSON, **account.headers})
    assert response.status_code == 200, response.text
    assert response.json()["full_name"] == "streamed, just fits"


@pytest.mark.parametrize("value", ["abc", "-1", "+5", " 5", "1_0", "5, 5", "", "1e3"])
async def test_a_malformed_content_length_is_a_400(client: AsyncClient, value: str) -> None:
    # Refused before the route, its authentication or its body is read.
    response = await client.patch(ME, content=b"{}", headers={**JSON, "Content-Length": value})
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"].endswith(":invalid-content-length")


async def test_an_absurd_content_length_is_a_413_not_an_error(client: AsyncClient) -> None:
    response = await client.patch(ME, content=b"{}", headers={**JSON, "Content-Length": "9" * 5000})
    assert_too_large(response, MAX_BODY_BYTES)
{%- if cookiecutter.auth_provider == "local" %}


async def test_auth_routes_have_a_smaller_limit(client: AsyncClient) -> None:
    email = unique_email()
    # Over the auth limit, far under the general one.
    oversized = padded_json({"email": email, "password": PASSWORD}, MAX_AUTH_BODY_BYTES + 1)
    response = await client.post("/api/v1/auth/register", content=oversized, headers=JSON)
    assert_too_large(response, MAX_AUTH_BODY_BYTES)

    fits = padded_json({"email": email, "password": PASSWORD}, MAX_AUTH_BODY_BYTES)
    response = await client.post("/api/v1/auth/register", content=fits, headers=JSON)
    assert response.status_code == 201, response.text


async def test_a_large_login_form_is_refused_before_any_hashing(client: AsyncClient) -> None:
    response = await client.post(
        "/api/v1/auth/login",
        data={"username": unique_email(), "password": "x" * MAX_AUTH_BODY_BYTES},
    )
    assert_too_large(response, MAX_AUTH_BODY_BYTES)


async def test_a_streamed_auth_body_over_the_auth_limit_is_refused(client: AsyncClient) -> None:
    data = padded_json({"email": unique_email(), "password": PASSWORD}, MAX_AUTH_BODY_BYTES + 1)
    response = await client.post(
        "/api/v1/auth/register", content=in_chunks(data, 1024), headers=JSON
    )
    assert_too_large(response, MAX_AUTH_BODY_BYTES)
{%- endif %}


async def test_the_general_limit_applies_outside_auth(client: AsyncClient) -> None:
    account = await new_account(client)
    # {% if cookiecutter.auth_provider == "local" %}Larger than the auth limit{% else %}Tens of kilobytes{% endif %}: refused by validation (name too long), not by size.
    too_long = "x" * {% if cookiecutter.auth_provider == "local" %}(MAX_AUTH_BODY_BYTES + 1){% else %}20_000{% endif %}
    response = await client.patch(ME, json={"full_name": too_long}, headers=account.headers)
    assert response.status_code == 422, response.text


async def test_a_get_without_a_body_is_untouched(client: AsyncClient) -> None:
    response = await client.get("/health/live")
    assert response.status_code == 200
    assert "content-length" not in response.request.headers
