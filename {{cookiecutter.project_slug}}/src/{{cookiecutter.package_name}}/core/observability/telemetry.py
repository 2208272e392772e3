"""FastAPI's native OpenTelemetry support: its server spans with tracing on, none off.

FastAPI records spans, metrics and exception logs through whatever OpenTelemetry providers
the process has set up. With its defaults it asks, on every request, whether a provider has
been set up since the last one (reading the environment and three global providers): about
5 µs a request, a quarter of the liveness answer's own cost. So tracing follows the service's
own switch (tracing.py: OTEL_EXPORTER_OTLP_ENDPOINT or TELEMETRY_ENABLED), and FastAPI's
metrics follow TELEMETRY_ENABLED alone, for a deployment that sets up a meter provider; the
service's own metrics are Prometheus' (metrics_server.py).

The server span FastAPI records is named `METHOD /route/template`, continues an incoming W3C
`traceparent`, and carries the method, route, status code, `url.path`, `url.query` (dropped
before export unless asked for: span_redaction.py) and, on failure, `error.type`, the
exception's class, never its message. Exception logs stay off either way: they carry exception
messages and stack traces past the service's own log redaction (core/observability/logging.py),
and the service already logs every unhandled error through it, with its request id.
"""

from __future__ import annotations

from fastapi.telemetry import TelemetryConfig


def fastapi_telemetry(*, tracing: bool, metrics: bool) -> TelemetryConfig:
    """The `telemetry` argument for `FastAPI(...)`: global providers where on, else none."""
    return {"tracing": tracing, "metrics": metrics, "logs": False}
