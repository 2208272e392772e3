"""Response headers: what every API answer carries, what only TLS answers carry, and CORS."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient

from {{ cookiecutter.package_name }}.main import create_app
from tests.api_helpers import new_account
from tests.conftest import make_settings

HSTS = "max-age=63072000; includeSubDomains"
LISTED_ORIGIN = "https://app.example.com"
UNLISTED_ORIGIN = "https://evil.example.net"


@pytest.fixture
async def https_client(app: FastAPI) -> AsyncIterator[AsyncClient]:
    # ASGITransport takes the scheme from the URL: scope["scheme"] is "https", as uvicorn sets
    # it behind a TLS-terminating proxy it trusts.
    transport = ASGITransport(app=app)
    async with AsyncClient(transport=transport, base_url="https://testserver") as http:
        yield http


async def cors_client_for(database_url: str, origins: list[str]) -> tuple[FastAPI, AsyncClient]:
    app = create_app(make_settings(database_url, cors_origins=origins))
    transport = ASGITransport(app=app)
    return app, AsyncClient(transport=transport, base_url="http://testserver")


async def test_api_answers_forbid_sniffing_and_framing(client: AsyncClient) -> None:
    account = await new_account(client)
    for response in (
        await client.get("/api/v1/users/me", headers=account.headers),
        await client.get("/api/v1/users/me"),  # a 401 problem
        await client.get("/health/live"),
    ):
        assert response.headers["x-content-type-options"] == "nosniff"
        csp = response.headers["content-security-policy"]
        assert "default-src 'none'" in csp
        assert "frame-ancestors 'none'" in csp
{%- if cookiecutter.auth_provider == "local" %}


async def test_token_responses_are_not_stored(client: AsyncClient) -> None:
    account = await new_account(client)
    login_response = await client.post(
        "/api/v1/auth/login", data={"username": account.email, "password": account.password}
    )
    assert login_response.status_code == 200
    assert login_response.headers["cache-control"] == "no-store"

    refreshed = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": login_response.json()["refresh_token"]}
    )
    assert refreshed.status_code == 200
    assert refreshed.headers["cache-control"] == "no-store"
{%- endif %}


async def test_authenticated_responses_are_not_stored(client: AsyncClient) -> None:
    account = await new_account(client)
    for response in (
        await client.get("/api/v1/users/me", headers=account.headers),
        await client.patch("/api/v1/users/me", json={"full_name": "Ada"}, headers=account.headers),
    ):
        assert response.status_code == 200
        assert "no-store" in response.headers["cache-control"]


async def test_the_app_names_no_server_software(client: AsyncClient) -> None:
    account = await new_account(client)
    response = await client.get("/api/v1/users/me", headers=account.headers)
    for answer in (response, await client.get("/nowhere")):
        assert "server" not in answer.headers
        assert "x-powered-by" not in answer.headers


async def test_hsts_is_sent_over_https(https_client: AsyncClient) -> None:
    for response in (
        await https_client.get("/health/live"),
        await https_client.get("/nowhere"),  # errors too
    ):
        assert response.headers["strict-transport-security"] == HSTS


async def test_hsts_is_not_sent_over_plain_http(client: AsyncClient) -> None:
    response = await client.get("/health/live")
    assert response.status_code == 200
    assert "strict-transport-security" not in response.headers


async def test_cors_echoes_a_listed_origin_only(database_url: str) -> None:
    app, http = await cors_client_for(database_url, [LISTED_ORIGIN])
    async with app.router.lifespan_context(app), http:
        listed = await http.get("/health/live", headers={"Origin": LISTED_ORIGIN})
        unlisted = await http.get("/health/live", headers={"Origin": UNLISTED_ORIGIN})
    assert listed.headers["access-control-allow-origin"] == LISTED_ORIGIN
    assert "access-control-allow-origin" not in unlisted.headers


async def test_cors_preflight_is_refused_for_an_unlisted_origin(database_url: str) -> None:
    app, http = await cors_client_for(database_url, [LISTED_ORIGIN])
    preflight = {"Access-Control-Request-Method": "PATCH"}
    async with app.router.lifespan_context(app), http:
        listed = await http.options(
            "/api/v1/users/me", headers={**preflight, "Origin": LISTED_ORIGIN}
        )
        unlisted = await http.options(
            "/api/v1/users/me", headers={**preflight, "Origin": UNLISTED_ORIGIN}
        )
    assert listed.status_code == 200
    assert listed.headers["access-control-allow-origin"] == LISTED_ORIGIN
    assert "PATCH" in listed.headers["access-control-allow-methods"]
    assert unlisted.status_code >= 400
    assert "access-control-allow-origin" not in unlisted.headers


@pytest.mark.parametrize(("origins", "expected"), [([LISTED_ORIGIN], LISTED_ORIGIN), (["*"], "*")])
async def test_cors_never_sends_a_wildcard_with_credentials(
    database_url: str, origins: list[str], expected: str
) -> None:
    # "*" is refused in production by the settings; outside it, it must still be harmless.
    app, http = await cors_client_for(database_url, origins)
    async with app.router.lifespan_context(app), http:
        response = await http.get(
            "/health/live", headers={"Origin": LISTED_ORIGIN, "Cookie": "session=abc"}
        )
    assert response.headers["access-control-allow-origin"] == expected
    # The service authenticates with bearer tokens, never cookies: credentials are never
    # allowed, so no browser will pair a wildcard with a caller's cookies.
    assert "access-control-allow-credentials" not in response.headers


async def test_without_cors_origins_no_cors_headers_are_sent(client: AsyncClient) -> None:
    response = await client.get("/health/live", headers={"Origin": LISTED_ORIGIN})
    assert not [name for name in response.headers if name.startswith("access-control-")]
