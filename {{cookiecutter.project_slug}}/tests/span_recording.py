"""Spans recorded in memory, through the redaction the service exports through.

OpenTelemetry lets a process set its tracer provider once, and a tracer taken from it keeps
it, so the tests share one provider per process (theirs, or the one an app built with
TELEMETRY_ENABLED set up first) and `recording_spans` swaps what it exports to: a fresh
in-memory exporter per test, behind the redaction of that test's settings.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.sdk.trace import ReadableSpan, Span, SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from {{ cookiecutter.package_name }}.core.config import CoreSettings
from {{ cookiecutter.package_name }}.core.observability.span_redaction import redacting
from tests.conftest import make_settings


class SwappableProcessor(SpanProcessor):
    """Hands spans to the processor of the test under way; drops them between tests."""

    def __init__(self) -> None:
        self.current: SpanProcessor | None = None

    def on_start(self, span: Span, parent_context: Context | None = None) -> None:
        if self.current is not None:
            self.current.on_start(span, parent_context)

    def on_end(self, span: ReadableSpan) -> None:
        if self.current is not None:
            self.current.on_end(span)


_recorder = SwappableProcessor()
_joined: list[TracerProvider] = []


def _process_provider() -> TracerProvider:
    provider = trace.get_tracer_provider()
    if isinstance(provider, trace.ProxyTracerProvider):
        trace.set_tracer_provider(TracerProvider())
        provider = trace.get_tracer_provider()
    assert isinstance(provider, TracerProvider), provider
    if not any(joined is provider for joined in _joined):
        provider.add_span_processor(_recorder)
        _joined.append(provider)
    return provider


@contextmanager
def recording_spans(settings: CoreSettings | None = None) -> Iterator[InMemorySpanExporter]:
    """The spans ended meanwhile, as `settings` lets the service export them."""
    _process_provider()
    exporter = InMemorySpanExporter()
    _recorder.current = redacting(
        SimpleSpanProcessor(exporter), settings or make_settings("sqlite+aiosqlite://")
    )
    try:
        yield exporter
    finally:
        _recorder.current = None


def spans_named(exporter: InMemorySpanExporter, prefix: str) -> list[ReadableSpan]:
    return [span for span in exporter.get_finished_spans() if span.name.startswith(prefix)]
