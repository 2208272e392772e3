"""The liveness probe is answered by the outermost middleware, before any routing."""

from __future__ import annotations

import pytest
from httpx import ASGITransport, AsyncClient
from starlette.types import Receive, Scope, Send

from {{ cookiecutter.package_name }}.core import middleware
from {{ cookiecutter.package_name }}.core.liveness import LIVENESS_BODY, LIVENESS_PATH
from {{ cookiecutter.package_name }}.core.middleware import RequestContextMiddleware
from {{ cookiecutter.package_name }}.health.router import HealthStatus


async def unreachable_app(scope: Scope, receive: Receive, send: Send) -> None:
    raise AssertionError(f"the probe reached the application: {scope['method']} {scope['path']}")


def test_the_middlewares_answer_is_the_documented_one() -> None:
    assert HealthStatus().model_dump_json().encode() == LIVENESS_BODY


async def test_get_is_answered_without_the_application() -> None:
    transport = ASGITransport(app=RequestContextMiddleware(unreachable_app))
    async with AsyncClient(transport=transport, base_url="http://testserver") as http:
        response = await http.get(LIVENESS_PATH)

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response.headers["content-type"] == "application/json"
    assert response.headers["content-length"] == str(len(LIVENESS_BODY))
    # The answer still carries what every answer carries.
    assert len(response.headers["x-request-id"]) == 32
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "content-security-policy" in response.headers


@pytest.mark.parametrize(
    ("method", "path"), [("POST", LIVENESS_PATH), ("GET", "/health/live/"), ("GET", "/health")]
)
async def test_anything_else_goes_to_the_application(method: str, path: str) -> None:
    transport = ASGITransport(app=RequestContextMiddleware(unreachable_app))
    async with AsyncClient(transport=transport, base_url="http://testserver") as http:
        response = await http.request(method, path)

    # The stand-in application fails the request, so it was reached.
    assert response.status_code == 500


async def test_a_cross_origin_request_goes_to_the_application() -> None:
    # CORS answers it in the application's stack, as it answers every other route.
    transport = ASGITransport(app=RequestContextMiddleware(unreachable_app))
    async with AsyncClient(transport=transport, base_url="http://testserver") as http:
        response = await http.get(LIVENESS_PATH, headers={"Origin": "https://app.example.com"})

    assert response.status_code == 500


class RecordingLogger:
    def __init__(self) -> None:
        self.lines: list[tuple[str, dict[str, object]]] = []

    def info(self, event: str, **fields: object) -> None:
        self.lines.append((event, fields))


async def test_the_probe_writes_its_access_line(monkeypatch: pytest.MonkeyPatch) -> None:
    recorder = RecordingLogger()
    monkeypatch.setattr(middleware, "access_logger", lambda: recorder)
    transport = ASGITransport(app=RequestContextMiddleware(unreachable_app))
    async with AsyncClient(transport=transport, base_url="http://testserver") as http:
        await http.get(LIVENESS_PATH)

    [(event, fields)] = recorder.lines
    assert event == "request"
    assert {key: fields[key] for key in ("method", "path", "status")} == {
        "method": "GET",
        "path": LIVENESS_PATH,
        "status": 200,
    }
