"""The application factory. Nothing is built at import time: `create_app` builds it all.

`uvicorn --factory {{ cookiecutter.package_name }}.main:create_app` calls it with no argument, and
it reads the settings from the environment; tests pass their own `Settings`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

import structlog
from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware

from {{ cookiecutter.package_name }}.api import API_PREFIX, feature_routers
from {{ cookiecutter.package_name }}.bootstrap import build_state
from {{ cookiecutter.package_name }}.core.db.metrics import instrument_engine, untrack_engine
from {{ cookiecutter.package_name }}.core.http.body_limit import BodyLimitMiddleware
from {{ cookiecutter.package_name }}.core.http.liveness import LivenessFirstApp
from {{ cookiecutter.package_name }}.core.http.middleware import RequestContextMiddleware
from {{ cookiecutter.package_name }}.core.http.problems import install_problem_handlers, problem_responses
from {{ cookiecutter.package_name }}.core.http.shutdown import LIFESPAN_STATE_KEY
from {{ cookiecutter.package_name }}.core.observability.logging import configure_logging
from {{ cookiecutter.package_name }}.core.observability.metrics_server import start_metrics_server
from {{ cookiecutter.package_name }}.core.observability.telemetry import fastapi_telemetry
from {{ cookiecutter.package_name }}.core.observability.tracing import configure_tracing
from {{ cookiecutter.package_name }}.core.outages import OutageLog
{%- if cookiecutter.include_graphql %}
from {{ cookiecutter.package_name }}.graphql_api.router import graphql_router
{%- endif %}
from {{ cookiecutter.package_name }}.health.checks import wait_for_abandoned
from {{ cookiecutter.package_name }}.health.router import router as health_router
{%- if cookiecutter.include_background_jobs %}
from {{ cookiecutter.package_name }}.jobs.runtime import in_process_jobs
{%- endif %}
from {{ cookiecutter.package_name }}.settings import Settings

logger = structlog.get_logger(__name__)
# How long shutdown waits for readiness checks cut off at their bound to clean up.
ABANDONED_CHECKS_GRACE_SECONDS = 1.0


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    configure_logging(settings)
    tracing = configure_tracing(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[Mapping[str, object]]:
        state = build_state(settings)
        app.state.app_state = state
        # Before the jobs start, so a port already taken stops start-up with nothing running.
        metrics_server = start_metrics_server(settings)
        app.state.metrics_server = metrics_server
        if metrics_server is not None:
            instrument_engine(state.engine, settings)
        untrace = tracing.instrument(state.engine) if tracing is not None else None
{%- if cookiecutter.include_background_jobs %}
        # Without a broker, jobs run here; with one, this process only writes the outbox.
        jobs = in_process_jobs(settings, state.session_factory)
        app.state.jobs = jobs
        if jobs is not None:
            await jobs.start()
{%- endif %}
        logger.info("startup", environment=settings.environment)
        try:
            # Shared with the server, which marks shutdown on SIGTERM (core/http/shutdown.py).
            yield {LIFESPAN_STATE_KEY: state.shutdown}
        finally:
            state.shutdown.begin()
{%- if cookiecutter.include_background_jobs %}
            if jobs is not None:
                await jobs.stop(settings.worker_grace_seconds)
{%- endif %}
            await wait_for_abandoned(ABANDONED_CHECKS_GRACE_SECONDS)
            await state.engine.dispose()
            untrack_engine(state.engine)
            if metrics_server is not None:
                metrics_server.stop()
{%- if cookiecutter.auth_provider == "local" %}
            await state.login_throttle.aclose()
{%- else %}
            await state.jwks.aclose()
{%- endif %}
            await state.cache.aclose()
{%- if cookiecutter.include_background_jobs %}
            if state.broker_probe is not None:
                await state.broker_probe.aclose()
{%- endif %}
{%- if cookiecutter.auth_provider == "local" %}
            state.passwords.close()
{%- endif %}
            logger.info("shutdown")
            if untrace is not None:
                untrace()
            if tracing is not None:
                tracing.flush()

    docs = settings.resolved_docs_enabled
    # FastAPI, but the liveness probe is answered before its middleware (core/http/liveness.py).
    app = LivenessFirstApp(
        title={{ cookiecutter.project_name | tojson }},
        description={{ cookiecutter.description | tojson }},
        version="0.1.0",
        lifespan=lifespan,
        telemetry=fastapi_telemetry(
            tracing=tracing is not None, metrics=settings.telemetry_enabled
        ),
        debug=settings.debug,
        docs_url="/docs" if docs else None,
        redoc_url=None,
        openapi_url="/openapi.json" if docs else None,
        # Answers any operation can give, whatever its own code does: a malformed request
        # (400), a body over the limit (413), invalid input (422), an unexpected failure
        # (500), a dependency out of reach (503).
        responses=problem_responses(400, 413, 422, 500, 503),
    )
    # One log of dependency outages for the handlers and the middleware that answer them.
    outages = OutageLog()
    install_problem_handlers(app, outages)
    # Inside CORS, so a cross-origin caller can read the 413; inside request-context, so
    # every refusal is logged with its request id.
    app.add_middleware(
        BodyLimitMiddleware,
        max_body_bytes=settings.max_body_bytes,
{%- if cookiecutter.auth_provider == "local" %}
        limits_by_prefix=[(f"{API_PREFIX}/auth/", settings.max_auth_body_bytes)],
{%- endif %}
    )
    if settings.cors_origins:
        # An explicit allowlist only: the middleware echoes an Origin only when it is listed.
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "X-Request-ID"],
        )
    # Added last, so it is the outermost: it sees every request, even one that fails early.
    app.add_middleware(
        RequestContextMiddleware,
        outages=outages,
        metrics=settings.metrics_enabled,
        api_prefix=API_PREFIX,
    )
    app.liveness_metrics = settings.metrics_enabled
    app.include_router(health_router)
    # Each feature under the prefix, one level deep: see api.py.
    for router in feature_routers():
        app.include_router(router, prefix=API_PREFIX)
{%- if cookiecutter.include_graphql %}
    # Beside the versioned REST API: a GraphQL schema evolves by deprecating fields instead.
    app.include_router(graphql_router(settings))
{%- endif %}
    return app
