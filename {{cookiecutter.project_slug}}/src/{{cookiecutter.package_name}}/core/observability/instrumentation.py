"""Spans for the libraries the service talks to its dependencies through, with tracing on.

SQLAlchemy (every statement, on the service's engine, whatever the driver), Redis (every
command of a redis-py client) and httpx (outgoing HTTP) are instrumented by the official
OpenTelemetry packages; each library is instrumented only where it is installed, so tracing
imports none the service does not otherwise have. FastAPI's server spans come from FastAPI
itself (telemetry.py): opentelemetry-instrumentation-fastapi must stay uninstalled, since FastAPI
switches its own telemetry off when it finds that package's middleware.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.util import find_spec
from typing import Protocol

from opentelemetry.trace import TracerProvider
from sqlalchemy.ext.asyncio import AsyncEngine


class Instrumentor(Protocol):
    """What the service uses of opentelemetry-instrumentation's BaseInstrumentor, whose
    module mypy cannot see (it opts out of type checking)."""

    @property
    def is_instrumented_by_opentelemetry(self) -> bool: ...

    def instrument(self, **kwargs: object) -> object: ...

    def uninstrument(self, **kwargs: object) -> object: ...


def instrument_libraries(engine: AsyncEngine, provider: TracerProvider) -> Callable[[], None]:
    """Trace `engine`'s statements and Redis and httpx calls; the function that undoes it."""
    # Imported here: the instrumentation packages load only with tracing on.
    from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor  # noqa: PLC0415

    installed: list[Instrumentor] = []

    def instrument(instrumentor: Instrumentor, **options: object) -> None:
        # One already instrumented (by `opentelemetry-instrument`) is left as it was set up.
        if instrumentor.is_instrumented_by_opentelemetry:
            return
        instrumentor.instrument(tracer_provider=provider, **options)
        # Refused (an installed version it does not support, which it logs): nothing to undo.
        if instrumentor.is_instrumented_by_opentelemetry:
            installed.append(instrumentor)

    # No sqlcommenter: it would make every statement text unique, defeating the prepared
    # statement cache (core/db/engine.py). The package declares SQLAlchemy below 2.1, a range
    # that lags behind SQLAlchemy, not a break: it uses only the engine's cursor events, which
    # 2.1 keeps, and tests/observability/test_traces.py proves the spans on the locked version.
    instrument(
        SQLAlchemyInstrumentor(),
        engine=engine.sync_engine,
        enable_commenter=False,
        skip_dep_check=True,
    )
    if find_spec("redis") is not None:
        from opentelemetry.instrumentation.redis import RedisInstrumentor  # noqa: PLC0415

        instrument(RedisInstrumentor())
    if find_spec("httpx") is not None:
        from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor  # noqa: PLC0415

        instrument(HTTPXClientInstrumentor())

    def undo() -> None:
        for instrumentor in reversed(installed):
            instrumentor.uninstrument()

    return undo
