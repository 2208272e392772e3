"""What leaves the process in a span: no credentials ever, personal data only when asked.

Instrumentation records more than the service may export. Query strings (`url.query`, and the
query part of a client's `url.full`) and exception messages (an `exception` event's message
and stack trace, an error status's description, which SQLAlchemy fills with the statement's
parameters) can carry personal data: they are dropped unless TELEMETRY_RECORD_QUERY_STRINGS or
TELEMETRY_RECORD_EXCEPTION_MESSAGES asks for them. An attribute whose name says password,
secret, token, key, cookie or authorization (a captured header, say), and the user and password
of any URL, are redacted whatever the settings. SQL statements are kept: SQLAlchemy records them
with placeholders, never with the values bound to them, and Redis commands with `?` for every
argument. Imported only with tracing on: it builds on the SDK.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from opentelemetry.context import Context
from opentelemetry.sdk.trace import Event, ReadableSpan, Span, SpanProcessor
from opentelemetry.trace import Status
from opentelemetry.util.types import AttributeValue

from {{ cookiecutter.package_name }}.core.config import CoreSettings

REDACTED = "REDACTED"
SENSITIVE_NAME = re.compile(
    r"passw|secret|token|api[._-]?key|cookie|authorization|credential", re.IGNORECASE
)
# `scheme://user:password@host`: the credentials, up to the `@`.
URL_CREDENTIALS = re.compile(r"(?<=://)[^/?#@\s]+@")
QUERY_ATTRIBUTES = frozenset({"url.query"})
# Attributes holding a whole URL or target, whose query part goes with the query strings.
URL_ATTRIBUTES = frozenset({"url.full", "http.url", "http.target"})
EXCEPTION_DETAIL = frozenset({"exception.message", "exception.stacktrace"})


class RedactingSpanProcessor(SpanProcessor):
    """Hands `inner` (the exporting processor) a copy of each ended span, redacted."""

    def __init__(
        self, inner: SpanProcessor, *, query_strings: bool, exception_messages: bool
    ) -> None:
        self._inner = inner
        self._query_strings = query_strings
        self._exception_messages = exception_messages

    def on_start(self, span: Span, parent_context: Context | None = None) -> None:
        self._inner.on_start(span, parent_context)

    def on_end(self, span: ReadableSpan) -> None:
        self._inner.on_end(self.redact(span))

    def shutdown(self) -> None:
        self._inner.shutdown()

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return self._inner.force_flush(timeout_millis)

    def redact(self, span: ReadableSpan) -> ReadableSpan:
        status = span.status
        if status.description and not self._exception_messages:
            status = Status(status.status_code)
        events = [
            Event(event.name, self._attributes(event.attributes), event.timestamp)
            for event in span.events
        ]
        return ReadableSpan(
            name=span.name,
            context=span.context,
            parent=span.parent,
            resource=span.resource,
            attributes=self._attributes(span.attributes),
            events=events,
            links=span.links,
            kind=span.kind,
            status=status,
            start_time=span.start_time,
            end_time=span.end_time,
            instrumentation_scope=span.instrumentation_scope,
        )

    def _attributes(
        self, attributes: Mapping[str, AttributeValue] | None
    ) -> dict[str, AttributeValue]:
        kept: dict[str, AttributeValue] = {}
        for name, value in (attributes or {}).items():
            if name in QUERY_ATTRIBUTES and not self._query_strings:
                continue
            if name in EXCEPTION_DETAIL and not self._exception_messages:
                continue
            if SENSITIVE_NAME.search(name):
                kept[name] = REDACTED
            elif isinstance(value, str):
                kept[name] = self._text(name, value)
            else:
                kept[name] = value
        return kept

    def _text(self, name: str, value: str) -> str:
        value = URL_CREDENTIALS.sub(f"{REDACTED}@", value)
        if name in URL_ATTRIBUTES and not self._query_strings:
            return value.partition("?")[0]
        return value


def redacting(inner: SpanProcessor, settings: CoreSettings) -> RedactingSpanProcessor:
    return RedactingSpanProcessor(
        inner,
        query_strings=settings.telemetry_record_query_strings,
        exception_messages=settings.telemetry_record_exception_messages,
    )
