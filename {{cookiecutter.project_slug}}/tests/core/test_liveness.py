"""The liveness probe is answered by the application object, before FastAPI's middleware."""

from __future__ import annotations

import pytest
from httpx import ASGITransport, AsyncClient
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from {{ cookiecutter.package_name }}.core.http import liveness, middleware
from {{ cookiecutter.package_name }}.core.http.liveness import (
    LIVENESS_BODY,
    LIVENESS_BODY_MESSAGE,
    LIVENESS_HEADERS,
    LIVENESS_PATH,
    LivenessFirstApp,
)
from {{ cookiecutter.package_name }}.core.http.middleware import RequestContextMiddleware
from {{ cookiecutter.package_name }}.health.router import HealthStatus


async def unreachable_app(scope: Scope, receive: Receive, send: Send) -> None:
    raise AssertionError(f"the probe reached the application: {scope['method']} {scope['path']}")


async def liveness_app(scope: Scope, receive: Receive, send: Send) -> None:
    # The same answer, given by an application behind the request-context middleware.
    await send({"type": "http.response.start", "status": 200, "headers": list(LIVENESS_HEADERS)})
    await send(LIVENESS_BODY_MESSAGE)


def app_with_stack(stack: ASGIApp) -> LivenessFirstApp:
    """A `LivenessFirstApp` whose whole middleware stack (and routes) is `stack`."""
    app = LivenessFirstApp()
    app.build_middleware_stack = lambda: stack  # type: ignore[method-assign]
    return app


def client(app: ASGIApp, base_url: str = "http://testserver") -> AsyncClient:
    return AsyncClient(transport=ASGITransport(app=app), base_url=base_url)


class RecordingLogger:
    def __init__(self) -> None:
        self.lines: list[tuple[str, dict[str, object]]] = []

    def info(self, event: str, **fields: object) -> None:
        self.lines.append((event, fields))

    exception = info


def test_the_answer_is_the_documented_one() -> None:
    assert HealthStatus().model_dump_json().encode() == LIVENESS_BODY


async def test_get_is_answered_before_the_middleware_stack() -> None:
    async with client(app_with_stack(unreachable_app)) as http:
        response = await http.get(LIVENESS_PATH)

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response.headers["content-type"] == "application/json"
    assert response.headers["content-length"] == str(len(LIVENESS_BODY))
    # The answer still carries what every answer carries.
    assert len(response.headers["x-request-id"]) == 32
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "content-security-policy" in response.headers


@pytest.mark.parametrize("base_url", ["http://testserver", "https://testserver"])
async def test_the_probe_gets_the_headers_the_middleware_would_give(base_url: str) -> None:
    app = app_with_stack(RequestContextMiddleware(liveness_app))
    async with client(app, base_url) as http:
        probe = await http.get(LIVENESS_PATH, headers={"X-Request-ID": "probe-1"})
        # With Origin the request goes through the stack, to the same answer.
        routed = await http.get(
            LIVENESS_PATH, headers={"X-Request-ID": "probe-1", "Origin": "https://a.example"}
        )

    assert probe.headers.multi_items() == routed.headers.multi_items()
    assert ("strict-transport-security" in probe.headers) == base_url.startswith("https")


@pytest.mark.parametrize(
    ("method", "path"), [("POST", LIVENESS_PATH), ("GET", "/health/live/"), ("GET", "/health")]
)
async def test_anything_else_goes_to_the_application(method: str, path: str) -> None:
    async with client(app_with_stack(unreachable_app)) as http:
        with pytest.raises(AssertionError, match="reached the application"):
            await http.request(method, path)


async def test_a_cross_origin_request_goes_to_the_application() -> None:
    # CORS answers it in the application's stack, as it answers every other route.
    async with client(app_with_stack(unreachable_app)) as http:
        with pytest.raises(AssertionError, match="reached the application"):
            await http.get(LIVENESS_PATH, headers={"Origin": "https://app.example.com"})


async def test_the_probe_writes_its_access_line(monkeypatch: pytest.MonkeyPatch) -> None:
    recorder = RecordingLogger()
    monkeypatch.setattr(middleware, "access_logger", lambda: recorder)
    async with client(app_with_stack(unreachable_app)) as http:
        await http.get(LIVENESS_PATH)

    [(event, fields)] = recorder.lines
    assert event == "request"
    assert {key: fields[key] for key in ("method", "path", "status")} == {
        "method": "GET",
        "path": LIVENESS_PATH,
        "status": 200,
    }


async def test_a_connection_lost_mid_answer_is_logged(monkeypatch: pytest.MonkeyPatch) -> None:
    recorder, errors = RecordingLogger(), RecordingLogger()
    monkeypatch.setattr(middleware, "access_logger", lambda: recorder)
    monkeypatch.setattr(liveness, "error_logger", errors)

    async def broken_send(message: Message) -> None:
        raise OSError("connection reset")

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    scope = {"type": "http", "method": "GET", "path": LIVENESS_PATH, "headers": []}
    await app_with_stack(unreachable_app)(scope, receive, broken_send)

    assert [event for event, _ in errors.lines] == ["unhandled_error"]
    [(_, fields)] = recorder.lines
    assert fields["status"] == 500


async def test_the_line_is_written_before_the_body_is_sent(monkeypatch: pytest.MonkeyPatch) -> None:
    recorder = RecordingLogger()
    monkeypatch.setattr(middleware, "access_logger", lambda: recorder)
    lines_when_sent: list[tuple[str, int]] = []

    async def send(message: Message) -> None:
        lines_when_sent.append((message["type"], len(recorder.lines)))

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    scope = {"type": "http", "method": "GET", "path": LIVENESS_PATH, "headers": []}
    await app_with_stack(unreachable_app)(scope, receive, send)

    assert lines_when_sent == [("http.response.start", 0), ("http.response.body", 1)]
