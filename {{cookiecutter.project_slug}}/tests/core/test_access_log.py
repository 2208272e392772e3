"""The access line: the pipeline's keys and redaction, and written before the answer ends."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator

import pytest
import structlog
from httpx import ASGITransport, AsyncClient
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from {{ cookiecutter.package_name }}.core.http.middleware import RequestContextMiddleware
from {{ cookiecutter.package_name }}.core.observability.logging import (
    ACCESS_LOGGER_NAME,
    REDACTED,
    access_logger,
    configure_logging,
)
from tests.conftest import make_settings

ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z$")
# Fields, then the event, the context variables, level, logger and timestamp. Context
# variables come in the order their ContextVars were first created in the process, which
# depends on which tests ran before: `key_order` compares them as a set.
ACCESS_LINE_KEYS = [
    "http.request.method",
    "url.path",
    "http.response.status_code",
    "duration_ms",
    "event",
    "request_id",
    "api_token",
    "level",
    "logger",
    "timestamp",
]


class Loggable:
    def __structlog__(self) -> str:
        return "loggable"


class Opaque:
    def __repr__(self) -> str:
        return "<opaque>"


class RecordingStream:
    """A stand-in for stderr that keeps each write apart."""

    def __init__(self) -> None:
        self.writes: list[str] = []

    def write(self, text: str) -> int:
        self.writes.append(text)
        return len(text)

    def flush(self) -> None:
        pass

    def access_lines(self) -> list[dict[str, object]]:
        lines = [json.loads(line) for text in self.writes for line in text.splitlines()]
        return [line for line in lines if line["logger"] == ACCESS_LOGGER_NAME]


@pytest.fixture(autouse=True)
def _request_context() -> Iterator[None]:
    structlog.contextvars.bind_contextvars(request_id="req-1", api_token="abc")
    yield
    structlog.contextvars.clear_contextvars()


def recording_stderr(monkeypatch: pytest.MonkeyPatch) -> RecordingStream:
    """JSON logs, and stderr replaced for the rest of the test (pytest sets its own per phase)."""
    configure_logging(make_settings("sqlite+aiosqlite://", log_format="json"))
    recording = RecordingStream()
    monkeypatch.setattr(sys, "stderr", recording)
    return recording


def key_order(line: dict[str, object]) -> list[object]:
    """The line's keys, with the run of context variables (request_id, api_token) as a set."""
    keys = list(line)
    start = keys.index("event") + 1
    end = keys.index("level")
    return [*keys[:start], set(keys[start:end]), *keys[end:]]


def _lines(capsys: pytest.CaptureFixture[str]) -> list[str]:
    return capsys.readouterr().err.splitlines()


def test_it_is_the_pipelines_line_key_for_key(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(make_settings("sqlite+aiosqlite://", log_format="json"))
    fields = {"method": "GET", "path": '/a"b', "status": 200, "duration_ms": 1.5}
    # The same line through the standard library's handler, as every other line goes.
    structlog.get_logger(ACCESS_LOGGER_NAME).info("request", **fields)
    access_logger().info("request", **fields)
    through_handler, direct = _lines(capsys)
    assert direct == through_handler.replace(
        json.loads(through_handler)["timestamp"], json.loads(direct)["timestamp"]
    )

    line = json.loads(direct)
    assert key_order(line) == key_order(dict.fromkeys(ACCESS_LINE_KEYS))
    assert ISO_UTC.match(line["timestamp"])
    assert line["request_id"] == "req-1"
    assert line["api_token"] == REDACTED
    assert (line["level"], line["logger"], line["url.path"]) == ("info", ACCESS_LOGGER_NAME, '/a"b')


def test_values_json_cannot_encode_are_logged_as_structlog_would(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging(make_settings("sqlite+aiosqlite://", log_format="json"))
    access_logger().info("request", own=Loggable(), other=Opaque())
    access_logger().info("request", raw=b"\xff")
    first, second = (json.loads(line) for line in _lines(capsys))
    assert (first["own"], first["other"]) == ("loggable", "<opaque>")
    assert second["raw"] == repr(b"\xff")
    assert key_order(second) == key_order(dict.fromkeys(["raw", *ACCESS_LINE_KEYS[4:]]))


def test_nothing_is_written_when_info_lines_are_off(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(make_settings("sqlite+aiosqlite://", log_format="json", log_level="WARNING"))
    access_logger().info("request", status=200)
    assert _lines(capsys) == []


def test_the_console_format_writes_it_too(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(make_settings("sqlite+aiosqlite://", log_format="console"))
    access_logger().info("request", path="/x", api_token="abc")
    [line] = _lines(capsys)
    assert "request" in line
    assert "/x" in line
    assert "abc" not in line


def test_it_is_written_at_once_in_one_write(monkeypatch: pytest.MonkeyPatch) -> None:
    stream = recording_stderr(monkeypatch)
    access_logger().info("request", status=200)
    [write] = stream.writes
    assert write.endswith("\n")
    assert write.count("\n") == 1
    assert json.loads(write)["http.response.status_code"] == 200


def recording_send(stream: RecordingStream, seen: list[tuple[str, bool, int]]) -> Send:
    """A server's send that records, for each message, how many access lines were written."""

    async def send(message: Message) -> None:
        more = bool(message.get("more_body", False))
        seen.append((message["type"], more, len(stream.access_lines())))

    return send


async def receive() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


def scope(path: str = "/api/v1/things") -> Scope:
    return {"type": "http", "method": "GET", "path": path, "headers": [], "scheme": "http"}


async def chunked_app(scope: Scope, receive: Receive, send: Send) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"one", "more_body": True})
    await send({"type": "http.response.body", "body": b"two"})


async def test_the_line_is_written_before_the_final_body_reaches_the_server(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stream = recording_stderr(monkeypatch)
    seen: list[tuple[str, bool, int]] = []
    await RequestContextMiddleware(chunked_app)(scope(), receive, recording_send(stream, seen))

    assert seen == [
        ("http.response.start", False, 0),
        ("http.response.body", True, 0),
        ("http.response.body", False, 1),
    ]
    [line] = stream.access_lines()
    assert (line["http.response.status_code"], line["url.path"]) == (200, "/api/v1/things")


async def test_a_failure_before_the_answer_writes_one_line_before_the_500(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stream = recording_stderr(monkeypatch)

    async def failing_app(scope: Scope, receive: Receive, send: Send) -> None:
        raise RuntimeError("bug")

    seen: list[tuple[str, bool, int]] = []
    await RequestContextMiddleware(failing_app)(scope(), receive, recording_send(stream, seen))

    assert [count for message_type, _, count in seen if message_type == "http.response.body"] == [1]
    [line] = stream.access_lines()
    assert line["http.response.status_code"] == 500


async def test_a_failure_mid_answer_still_writes_the_line(monkeypatch: pytest.MonkeyPatch) -> None:
    stream = recording_stderr(monkeypatch)

    async def app_failing_mid_answer(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"one", "more_body": True})
        raise RuntimeError("bug")

    seen: list[tuple[str, bool, int]] = []
    middleware = RequestContextMiddleware(app_failing_mid_answer)
    await middleware(scope(), receive, recording_send(stream, seen))

    [line] = stream.access_lines()
    assert line["http.response.status_code"] == 200


async def test_an_unwritable_stderr_costs_the_line_not_the_answer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    configure_logging(make_settings("sqlite+aiosqlite://", log_format="json"))
    closed = RecordingStream()

    def write(text: str) -> int:
        raise BrokenPipeError("the log reader is gone")

    monkeypatch.setattr(closed, "write", write)
    monkeypatch.setattr(sys, "stderr", closed)
    app: ASGIApp = RequestContextMiddleware(chunked_app)
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://testserver") as http:
        response = await http.get("/api/v1/things")
    assert (response.status_code, response.content) == (200, b"onetwo")
