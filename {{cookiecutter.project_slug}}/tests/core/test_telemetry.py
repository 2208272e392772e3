"""FastAPI's OpenTelemetry support follows TELEMETRY_ENABLED, and costs nothing when off."""

from __future__ import annotations

import pytest
from httpx import ASGITransport, AsyncClient
from opentelemetry import trace

from {{ cookiecutter.package_name }}.core.observability.telemetry import fastapi_telemetry
from {{ cookiecutter.package_name }}.main import create_app
from tests.conftest import make_settings


def test_exception_logs_stay_off_either_way() -> None:
    off = fastapi_telemetry(tracing=False, metrics=False)
    assert off == {"tracing": False, "metrics": False, "logs": False}
    on = fastapi_telemetry(tracing=True, metrics=True)
    assert on == {"tracing": True, "metrics": True, "logs": False}


@pytest.mark.parametrize("enabled", [False, True])
async def test_requests_look_for_a_tracer_only_when_enabled(
    enabled: bool, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    looked_up: list[object] = []
    real = trace.get_tracer_provider

    def recording_lookup() -> trace.TracerProvider:
        looked_up.append(True)
        return real()

    monkeypatch.setattr(trace, "get_tracer_provider", recording_lookup)
    app = create_app(make_settings(database_url, telemetry_enabled=enabled))
    async with app.router.lifespan_context(app):
        transport = ASGITransport(app=app)
        async with AsyncClient(transport=transport, base_url="http://testserver") as http:
            looked_up.clear()
            response = await http.get("/health/ready")

    assert response.status_code == 200
    assert bool(looked_up) is enabled
