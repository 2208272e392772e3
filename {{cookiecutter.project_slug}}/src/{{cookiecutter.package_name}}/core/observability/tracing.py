"""OpenTelemetry traces: on when OTEL_EXPORTER_OTLP_ENDPOINT or TELEMETRY_ENABLED is set.

The switch is read here, and nothing else in the service imports the SDK: off (the default),
no SDK, exporter or instrumentation is loaded, FastAPI records no span, and a request pays
nothing for tracing. On, the service sets up a tracer provider unless the process already has
one (`opentelemetry-instrument`, a test): the SDK reads the standard `OTEL_*` variables itself
(OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES, OTEL_TRACES_SAMPLER and its argument,
OTEL_BSP_*, OTEL_EXPORTER_OTLP_* headers, timeout and certificates). Spans go out over
OTLP/HTTP with protobuf, after the redaction in span_redaction.py; with TELEMETRY_ENABLED and
no endpoint they are recorded for the logs' trace ids and exported nowhere.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from {{ cookiecutter.package_name }}.core.config import CoreSettings

if TYPE_CHECKING:
    from collections.abc import Callable

    from opentelemetry.sdk.trace import TracerProvider as SdkTracerProvider
    from opentelemetry.trace import TracerProvider
    from sqlalchemy.ext.asyncio import AsyncEngine

# Either turns tracing on; the SDK's exporter reads them itself (the traces one first).
ENDPOINT_VARIABLES = ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT")
# service.name when neither OTEL_SERVICE_NAME nor OTEL_RESOURCE_ATTRIBUTES names one.
DEFAULT_SERVICE_NAME = "{{ cookiecutter.project_slug }}"


def export_endpoint() -> str | None:
    """The OTLP endpoint spans go to, from the process environment (never from `.env`)."""
    for name in ENDPOINT_VARIABLES:
        if value := os.environ.get(name, "").strip():
            return value
    return None


def tracing_enabled(settings: CoreSettings) -> bool:
    return settings.telemetry_enabled or export_endpoint() is not None


@dataclass(frozen=True, slots=True)
class Tracing:
    """The provider the process traces through, and whether this service set it up."""

    provider: TracerProvider
    owned: bool

    def instrument(self, engine: AsyncEngine) -> Callable[[], None]:
        """Trace `engine` and the client libraries (instrumentation.py); what undoes it."""
        from {{ cookiecutter.package_name }}.core.observability import instrumentation  # noqa: PLC0415

        return instrumentation.instrument_libraries(engine, self.provider)

    def flush(self) -> None:
        """Export what is still buffered, before the process exits (the SDK stops it then)."""
        if self.owned:
            self.provider.force_flush()  # type: ignore[attr-defined]  # the SDK's provider


def configure_tracing(settings: CoreSettings) -> Tracing | None:
    """Set up tracing when it is on; None when it is off. Safe to call again."""
    if not tracing_enabled(settings):
        return None
    from opentelemetry import trace  # noqa: PLC0415 - with tracing on only

    current = trace.get_tracer_provider()
    if not isinstance(current, trace.ProxyTracerProvider):
        return Tracing(current, owned=False)
    provider = _build_provider(settings)
    trace.set_tracer_provider(provider)
    return Tracing(provider, owned=True)


def _build_provider(settings: CoreSettings) -> SdkTracerProvider:
    # The SDK, the exporter and protobuf load only here, with tracing on.
    from opentelemetry.sdk.resources import SERVICE_NAME, Resource  # noqa: PLC0415
    from opentelemetry.sdk.trace import TracerProvider  # noqa: PLC0415
    from opentelemetry.sdk.trace.export import BatchSpanProcessor  # noqa: PLC0415

    from {{ cookiecutter.package_name }}.core.observability import span_redaction  # noqa: PLC0415

    resource = Resource.create()
    if str(resource.attributes.get(SERVICE_NAME, "")).startswith("unknown_service"):
        resource = resource.merge(Resource({SERVICE_NAME: DEFAULT_SERVICE_NAME}))
    # The sampler comes from OTEL_TRACES_SAMPLER (parent-based, always on, by default).
    provider = TracerProvider(resource=resource)
    exporter_name = os.environ.get("OTEL_TRACES_EXPORTER", "otlp").strip().lower()
    if export_endpoint() is not None and exporter_name != "none":
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import (  # noqa: PLC0415
            OTLPSpanExporter,
        )

        exporting = BatchSpanProcessor(OTLPSpanExporter())
        provider.add_span_processor(span_redaction.redacting(exporting, settings))
    return provider
