"""Every error is an RFC 9457 problem, and none reveals internals."""

from __future__ import annotations

from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient

from {{ cookiecutter.package_name }}.main import create_app
from tests.conftest import make_settings


async def test_unknown_route_is_a_problem(client: AsyncClient) -> None:
    response = await client.get("/nowhere")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 404
    assert body["type"].startswith("urn:")


async def test_wrong_method_is_a_problem(client: AsyncClient) -> None:
    response = await client.delete("/health/live")
    assert response.status_code == 405
    assert response.headers["content-type"] == "application/problem+json"
{%- if cookiecutter.auth_provider == "local" %}


async def test_malformed_json_is_a_problem(client: AsyncClient) -> None:
    response = await client.post(
        "/api/v1/auth/register",
        content=b'{"email": ',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert "errors" in response.json()
{%- endif %}


async def test_an_unexpected_error_is_a_bare_500_with_a_request_id(
    database_url: str,
) -> None:
    app: FastAPI = create_app(make_settings(database_url))

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("SELECT secret FROM internals")

    async with app.router.lifespan_context(app):
        transport = ASGITransport(app=app)
        async with AsyncClient(transport=transport, base_url="http://testserver") as http:
            response = await http.get("/boom", headers={"X-Request-ID": "trace-me"})
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["x-request-id"] == "trace-me"
    assert "SELECT" not in response.text
    assert "Traceback" not in response.text


async def test_docs_are_served_outside_production(client: AsyncClient) -> None:
    assert (await client.get("/docs")).status_code == 200
    schema = (await client.get("/openapi.json")).json()
    assert "/api/v1/users/me" in schema["paths"]
{%- if cookiecutter.include_example_resource %}
    assert "/api/v1/notes" in schema["paths"]
{%- endif %}
