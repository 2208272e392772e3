"""FastAPI's native OpenTelemetry support, switched on by a setting instead of by default.

FastAPI records spans, metrics and exception logs through whatever OpenTelemetry providers
the process has set up. With its defaults it asks, on every request, whether a provider has
been set up since the last one (reading the environment and three global providers): about
5 µs a request, a quarter of the liveness answer's own cost, for a service that ships no
OpenTelemetry SDK and so has no provider. `TELEMETRY_ENABLED=true` turns tracing and metrics
on for a deployment that installs an SDK or runs under `opentelemetry-instrument`.

Exception logs stay off either way: they carry exception messages and stack traces past
the service's own log redaction (core/observability/logging.py), and the service already logs every
unhandled error through it, with its request id.
"""

from __future__ import annotations

from fastapi.telemetry import TelemetryConfig


def fastapi_telemetry(enabled: bool) -> TelemetryConfig:
    """The `telemetry` argument for `FastAPI(...)`: global providers when enabled, else none."""
    return {"tracing": enabled, "metrics": enabled, "logs": False}
