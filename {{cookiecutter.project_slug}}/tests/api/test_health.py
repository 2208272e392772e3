from __future__ import annotations

from httpx import ASGITransport, AsyncClient

from {{ cookiecutter.package_name }}.main import create_app
from tests.conftest import make_settings


async def test_live_answers_ok_without_touching_the_database(client: AsyncClient) -> None:
    response = await client.get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_ready_answers_ok_when_the_database_answers(client: AsyncClient) -> None:
    response = await client.get("/health/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_ready_answers_503_naming_the_failed_check_when_the_database_is_down() -> None:
{%- if cookiecutter.database == "postgresql" %}
    # A PostgreSQL URL on a port nothing listens on: the connection is refused at once.
    app = create_app(make_settings("postgresql+asyncpg://nobody@127.0.0.1:1/none"))
{%- else %}
    # An SQLite file in a folder that does not exist: opening it fails at once.
    app = create_app(make_settings("sqlite+aiosqlite:///no-such-folder/nobody/none.db"))
{%- endif %}
    async with app.router.lifespan_context(app):
        transport = ASGITransport(app=app)
        async with AsyncClient(transport=transport, base_url="http://testserver") as http:
            response = await http.get("/health/ready")
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["checks"] == {"database": "failed"}
    assert "nobody" not in response.text
