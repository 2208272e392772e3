"""What an exported span may hold: no credentials ever, personal data only when asked for."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import Status, StatusCode

from {{ cookiecutter.package_name }}.core.observability.span_redaction import REDACTED
from tests.conftest import make_settings
from tests.span_recording import recording_spans

SQL_ERROR = "duplicate key value (email)=(someone@example.com)"


def record_a_failing_span() -> None:
    tracer = trace.get_tracer(__name__)
    with tracer.start_as_current_span(
        "GET /api/v1/things",
        attributes={
            "url.query": "email=someone@example.com",
            "url.full": "https://api.example.com/things?email=someone@example.com",
            "http.request.header.authorization": ("Bearer abc.def",),
            "db.statement": "SELECT * FROM users WHERE email = $1",
            "server.address": "postgresql://app:hunter2@db:5432/app",
        },
        record_exception=False,
        set_status_on_exception=False,
    ) as span:
        span.record_exception(ValueError(SQL_ERROR))
        span.set_status(Status(StatusCode.ERROR, SQL_ERROR))


@pytest.fixture
def default_spans() -> Iterator[InMemorySpanExporter]:
    with recording_spans() as exporter:
        yield exporter


def only_span(exporter: InMemorySpanExporter) -> ReadableSpan:
    [span] = exporter.get_finished_spans()
    return span


def test_by_default_query_strings_and_exception_messages_stay_behind(
    default_spans: InMemorySpanExporter,
) -> None:
    record_a_failing_span()

    span = only_span(default_spans)
    attributes = dict(span.attributes or {})
    assert "url.query" not in attributes
    assert attributes["url.full"] == "https://api.example.com/things"
    # Placeholders, not values: kept.
    assert attributes["db.statement"] == "SELECT * FROM users WHERE email = $1"
    assert span.status.status_code is StatusCode.ERROR
    assert span.status.description is None
    [event] = span.events
    assert event.name == "exception"
    detail = dict(event.attributes or {})
    assert detail["exception.type"] == "ValueError"
    assert "exception.message" not in detail
    assert "exception.stacktrace" not in detail


# Both settings that let more through, on.
EVERYTHING_RECORDED = make_settings(
    "sqlite+aiosqlite://",
    telemetry_record_query_strings=True,
    telemetry_record_exception_messages=True,
)


def test_credentials_are_redacted_whatever_the_settings() -> None:
    with recording_spans(EVERYTHING_RECORDED) as exporter:
        record_a_failing_span()

    attributes = dict(only_span(exporter).attributes or {})
    assert attributes["http.request.header.authorization"] == REDACTED
    assert attributes["server.address"] == f"postgresql://{REDACTED}@db:5432/app"
    assert "hunter2" not in str(attributes)


def test_the_settings_let_query_strings_and_exception_messages_through() -> None:
    with recording_spans(EVERYTHING_RECORDED) as exporter:
        record_a_failing_span()

    span = only_span(exporter)
    attributes = dict(span.attributes or {})
    assert attributes["url.query"] == "email=someone@example.com"
    assert attributes["url.full"].endswith("?email=someone@example.com")  # type: ignore[union-attr]
    assert span.status.description == SQL_ERROR
    [event] = span.events
    assert dict(event.attributes or {})["exception.message"] == SQL_ERROR
