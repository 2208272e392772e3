"""The log processor joining logs to traces: each line written in a span carries its ids.

Installed by configure_logging only with tracing on, so with it off no line pays for the
lookup. The ids are the W3C forms (32 and 16 lowercase hex digits) that tracing backends
search by; a line written outside any span (start-up, a background loop) has neither.
"""

from __future__ import annotations

from opentelemetry import trace
from structlog.types import EventDict, WrappedLogger


def add_trace_ids(_logger: WrappedLogger, _method: str, event_dict: EventDict) -> EventDict:
    context = trace.get_current_span().get_span_context()
    if context.is_valid:
        event_dict["trace_id"] = format(context.trace_id, "032x")
        event_dict["span_id"] = format(context.span_id, "016x")
    return event_dict
