"""Traces: a request's server span with its database spans, continued from `traceparent`,
joined to the request's log lines, and exported without query strings or exception messages.
"""

from __future__ import annotations

import json
import sys
from collections.abc import AsyncIterator, Iterator

import pytest
from httpx import ASGITransport, AsyncClient
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from sqlalchemy.ext.asyncio import AsyncEngine

from {{ cookiecutter.package_name }}.main import create_app
from tests.conftest import make_settings
from tests.span_recording import recording_spans

INCOMING_TRACE_ID = "0af7651916cd43dd8448eb211c80319c"
INCOMING_SPAN_ID = "b7ad6b7169203331"
TRACEPARENT = f"00-{INCOMING_TRACE_ID}-{INCOMING_SPAN_ID}-01"


class Lines:
    """A stand-in for stderr that keeps what the service logs, one JSON object a line."""

    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> int:
        self.text += text
        return len(text)

    def flush(self) -> None:
        pass

    def parsed(self) -> list[dict[str, object]]:
        return [json.loads(line) for line in self.text.splitlines() if line.startswith("{")]


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    with recording_spans() as exporter:
        yield exporter


def recording_stderr(monkeypatch: pytest.MonkeyPatch) -> Lines:
    """stderr replaced for the rest of the test (pytest sets its own per phase)."""
    recording = Lines()
    monkeypatch.setattr(sys, "stderr", recording)
    return recording


@pytest.fixture
async def http(
    spans: InMemorySpanExporter, database_url: str, engine: AsyncEngine
) -> AsyncIterator[AsyncClient]:
    app = create_app(make_settings(database_url, telemetry_enabled=True, log_format="json"))
    async with app.router.lifespan_context(app):
        transport = ASGITransport(app=app)
        async with AsyncClient(transport=transport, base_url="http://testserver") as client:
            spans.clear()
            yield client


def server_span(spans: InMemorySpanExporter) -> ReadableSpan:
    [span] = [span for span in spans.get_finished_spans() if span.kind is SpanKind.SERVER]
    return span


def trace_id(span: ReadableSpan) -> str:
    assert span.context is not None
    return format(span.context.trace_id, "032x")


async def test_a_request_is_one_trace_of_its_server_span_and_its_queries(
    http: AsyncClient, spans: InMemorySpanExporter
) -> None:
    response = await http.get("/health/ready")

    assert response.status_code == 200
    server = server_span(spans)
    assert server.name == "GET /health/ready"
    assert server.attributes is not None
    assert server.attributes["http.route"] == "/health/ready"
    assert server.attributes["http.response.status_code"] == 200
    in_trace = {
        span.context.span_id: span
        for span in spans.get_finished_spans()
        if span.context is not None and trace_id(span) == trace_id(server)
    }
    queries = [span for span in in_trace.values() if span.kind is SpanKind.CLIENT]
    statements = [(span.attributes or {}).get("db.statement") for span in queries]
    assert "SELECT 1" in statements
    # Each query's chain of parents leads to the server span.
    for query in queries:
        span = query
        while span.parent is not None and span.parent.span_id in in_trace:
            span = in_trace[span.parent.span_id]
        assert span is server


async def test_an_incoming_traceparent_is_continued(
    http: AsyncClient, spans: InMemorySpanExporter
) -> None:
    await http.get("/health/ready", headers={"traceparent": TRACEPARENT})

    server = server_span(spans)
    assert trace_id(server) == INCOMING_TRACE_ID
    assert server.parent is not None
    assert format(server.parent.span_id, "016x") == INCOMING_SPAN_ID
    assert server.parent.is_remote


async def test_the_requests_log_lines_carry_its_trace_and_its_request_id(
    http: AsyncClient, spans: InMemorySpanExporter, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = recording_stderr(monkeypatch)
    response = await http.get("/health/ready", headers={"traceparent": TRACEPARENT})

    access_lines = [line for line in lines.parsed() if line.get("url.path") == "/health/ready"]
    assert len(access_lines) == 1, lines.text
    [access] = access_lines
    assert access["trace_id"] == INCOMING_TRACE_ID
    assert isinstance(access["span_id"], str)
    assert len(access["span_id"]) == 16
    assert access["request_id"] == response.headers["x-request-id"]
    assert trace_id(server_span(spans)) == INCOMING_TRACE_ID


async def test_a_query_string_is_not_exported(
    http: AsyncClient, spans: InMemorySpanExporter
) -> None:
    await http.get("/health/ready?email=someone%40example.com")

    server = server_span(spans)
    assert server.attributes is not None
    assert "url.query" not in server.attributes
    assert "someone" not in json.dumps(dict(server.attributes))


async def test_without_tracing_no_span_is_recorded_and_no_line_has_a_trace_id(
    spans: InMemorySpanExporter,
    database_url: str,
    engine: AsyncEngine,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lines = recording_stderr(monkeypatch)
    app = create_app(make_settings(database_url, log_format="json"))
    async with app.router.lifespan_context(app):
        transport = ASGITransport(app=app)
        async with AsyncClient(transport=transport, base_url="http://testserver") as client:
            await client.get("/health/ready", headers={"traceparent": TRACEPARENT})

    assert [span for span in spans.get_finished_spans() if span.kind is SpanKind.SERVER] == []
    assert [span for span in spans.get_finished_spans() if span.kind is SpanKind.CLIENT] == []
    logged = lines.parsed()
    assert any(line.get("url.path") == "/health/ready" for line in logged)
    assert not any("trace_id" in line for line in logged)
