"""Only the methods the service uses reach it; TRACE and the rest are a 405 problem."""

from __future__ import annotations

import pytest
from httpx import AsyncClient

from tests.api_helpers import new_account


@pytest.mark.parametrize("method", ["TRACE", "CONNECT", "PROPFIND", "BREW"])
@pytest.mark.parametrize("path", ["/health/live", "/api/v1/users/me", "/nowhere"])
async def test_an_unused_method_is_refused(client: AsyncClient, method: str, path: str) -> None:
    response = await client.request(method, path)
    assert response.status_code == 405
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == 405
    allowed = {name.strip() for name in response.headers["allow"].split(",")}
    assert "GET" in allowed
    assert method not in allowed
    assert "x-request-id" in response.headers


async def test_trace_does_not_echo_credentials(client: AsyncClient) -> None:
    account = await new_account(client)
    response = await client.request("TRACE", "/api/v1/users/me", headers=account.headers)
    assert response.status_code == 405
    assert account.access_token not in response.text


async def test_a_known_method_on_the_wrong_route_names_the_routes_methods(
    client: AsyncClient,
) -> None:
    response = await client.put("/health/live")
    assert response.status_code == 405
    assert response.headers["content-type"] == "application/problem+json"
    assert "PUT" not in response.headers["allow"]
