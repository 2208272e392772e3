"""A route marked with `deprecated(...)` says so in every answer and in the OpenAPI document."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient

from {{ cookiecutter.package_name }}.core.http.deprecation import deprecated

SINCE = datetime(2027, 1, 1, tzinfo=UTC)
SUNSET = datetime(2027, 7, 1, 12, 30, tzinfo=UTC)


def app_with_an_old_route() -> FastAPI:
    app = FastAPI()

    @app.get("/old", **deprecated(since=SINCE, sunset=SUNSET, successor="/api/v2/things"))
    async def old() -> dict[str, str]:
        return {"still": "here"}

    @app.get("/current")
    async def current() -> dict[str, str]:
        return {}

    return app


async def test_every_answer_of_a_deprecated_route_carries_its_dates() -> None:
    app = app_with_an_old_route()
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://test") as client:
        old = await client.get("/old")
        current = await client.get("/current")

    assert old.json() == {"still": "here"}
    assert old.headers["deprecation"] == f"@{int(SINCE.timestamp())}" == "@1798761600"
    assert old.headers["sunset"] == "Thu, 01 Jul 2027 12:30:00 GMT"
    assert old.headers["link"] == '</api/v2/things>; rel="successor-version"'
    assert "deprecation" not in current.headers


def test_the_openapi_document_marks_it_and_describes_the_headers() -> None:
    operations = app_with_an_old_route().openapi()["paths"]
    old, current = operations["/old"]["get"], operations["/current"]["get"]

    assert old["deprecated"] is True
    assert set(old["responses"]["default"]["headers"]) == {"Deprecation", "Sunset", "Link"}
    assert "deprecated" not in current


@pytest.mark.parametrize(
    ("since", "sunset"),
    [
        (datetime(2027, 1, 1), None),  # noqa: DTZ001 - the naive date under test
        (SINCE, datetime(2026, 1, 1, tzinfo=UTC)),
    ],
)
def test_naive_or_backwards_dates_are_refused(since: datetime, sunset: datetime | None) -> None:
    with pytest.raises(ValueError, match=r"deprecated\(\)"):
        deprecated(since=since, sunset=sunset)
