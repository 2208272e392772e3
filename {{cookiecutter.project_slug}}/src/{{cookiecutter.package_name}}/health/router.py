"""Liveness says the process runs; readiness says it can serve (its dependencies answer).

Kept apart so an orchestrator restarts a wedged process (liveness) but only stops routing
traffic to one whose database is down (readiness), instead of restarting it in a loop.

A dependency the service answers without (the read cache: reads go to the database) is
checked too, but its failure only makes readiness "degraded": still 200, naming it, so an
operator sees it while the orchestrator keeps routing traffic here.
"""

from __future__ import annotations

from functools import partial
from typing import Literal

import structlog
from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import text
from starlette.responses import Response

from {{ cookiecutter.package_name }}.bootstrap import AppState, StateDep
from {{ cookiecutter.package_name }}.core.http.liveness import LIVENESS_BODY
from {{ cookiecutter.package_name }}.core.http.problems import problem, problem_responses
from {{ cookiecutter.package_name }}.health.checks import Check, run_checks
from {{ cookiecutter.package_name }}.health.metrics import CHECK_UP

router = APIRouter(prefix="/health", tags=["health"])
logger = structlog.get_logger(__name__)


class HealthStatus(BaseModel):
{%- if cookiecutter.auth_provider == "local" %}
    status: Literal["ok"] = "ok"
{%- else %}
    # "degraded" (with `checks`): every check passes, but the provider's keys could not be
    # refetched and the cached ones serve.
    status: Literal["ok", "degraded"] = "ok"
{%- endif %}


class ReadinessStatus(BaseModel):
    status: Literal["ok", "degraded"] = "ok"
    # Only when degraded: each check's outcome ("ok", or "degraded" for one that failed).
    checks: dict[str, str] | None = None


@router.get("/live", response_model=HealthStatus)
async def live() -> Response:
    """The process is up. No I/O, so it stays cheap under any load.

    The app object (`LivenessFirstApp`, `core/http/liveness.py`) answers a probe's GET before any
    middleware; this route documents the answer in the OpenAPI schema and serves what is
    passed on (a cross-origin GET) and any app that mounts the router without that class.
    """
    return Response(LIVENESS_BODY, media_type="application/json")


@router.get(
    "/ready",
    response_model=ReadinessStatus,
    response_model_exclude_none=True,
    responses=problem_responses(503),
)
async def ready(state: StateDep) -> ReadinessStatus | Response:
{%- if cookiecutter.include_background_jobs %}
    """The service can serve requests: its database, Redis and broker answer.

    The database answers `SELECT 1`, Redis (if REDIS_URL is set) PING, the jobs' broker (if
    BROKER_URL is set) a round trip on a connection of its own (jobs/broker_probe.py).
{%- else %}
    """The service can serve requests: the database answers `SELECT 1`, Redis (if used) PING.
{%- endif %}
    The read cache's Redis not answering makes the answer `degraded`, not a 503: reads go to
    the database meanwhile.

    The checks run at once and the answer comes within `READINESS_TIMEOUT_SECONDS`, whatever
    they do: a 503 naming each check that failed or timed out, never a probe timeout.
    """
    if state.shutdown.begun:
        # Load balancers stop routing here while the requests in flight finish.
        return problem(
            503,
            detail="The service is not ready: it is shutting down.",
            type_slug="not-ready",
            extra={"checks": {"shutdown": "started"}},
        )
    optional = _optional_checks(state)
    results = await run_checks(
        {**_checks(state), **optional}, state.settings.readiness_timeout_seconds
    )
    for name, result in results.items():
        CHECK_UP.labels(name).set(1 if result.outcome == "ok" else 0)
    failed = {name: result for name, result in results.items() if result.outcome != "ok"}
    degraded = {name: result for name, result in failed.items() if name in optional}
    not_ready = {name: result for name, result in failed.items() if name not in optional}
    outcomes = {
        name: "degraded" if name in degraded else result.outcome for name, result in results.items()
    }
    for name, result in degraded.items():
        logger.warning(
            "readiness_check_degraded",
            check=name,
            outcome=result.outcome,
            error_type=result.error_type,
        )
    if not not_ready:
{%- if cookiecutter.auth_provider == "oidc" %}
        if state.jwks.status.last_fetch_failed:
            # Tokens signed with the cached keys still pass; a rotation would not be seen.
            logger.warning("readiness_check_degraded", check="jwks")
            return ReadinessStatus(status="degraded", checks={**outcomes, "jwks": "degraded"})
{%- endif %}
        return (
            ReadinessStatus(status="degraded", checks=outcomes) if degraded else ReadinessStatus()
        )
    for name, result in not_ready.items():
        logger.warning(
            "readiness_check_failed",
            check=name,
            outcome=result.outcome,
            error_type=result.error_type,
        )
    # Names the checks and their outcomes only: no driver message, host or credentials.
    summary = "; ".join(
        f"the {name} check {result.outcome.replace('_', ' ')}" for name, result in not_ready.items()
    )
    return problem(
        503,
        detail=f"The service is not ready: {summary}.",
        type_slug="not-ready",
        extra={"checks": outcomes},
    )


def _checks(state: AppState) -> dict[str, Check]:
    checks: dict[str, Check] = {"database": partial(_database_answers, state)}
{%- if cookiecutter.auth_provider == "local" %}
    if state.settings.redis_url:
        # The login counters: logins fail while Redis does not answer.
        checks["redis"] = partial(_redis_answers, state)
{%- else %}
    # The provider's keys: without any, no token can be checked. Fails only when none are
    # held; serving cached keys while the provider is down reports "degraded" instead.
    checks["jwks"] = state.jwks.check
{%- endif %}
{%- if cookiecutter.include_background_jobs %}
    if state.broker_probe is not None:
        # The jobs' broker: requests are still answered while it is down, but the jobs they
        # ask for wait in the outbox, so the operator should know.
        checks["broker"] = state.broker_probe.check
{%- endif %}
    return checks


def _optional_checks(state: AppState) -> dict[str, Check]:
    checks: dict[str, Check] = {}
    if state.cache.shared:
        # The read cache in Redis: while it does not answer, reads go to the database.
        checks["cache"] = state.cache.ping
    return checks


async def _database_answers(state: AppState) -> None:
    async with state.engine.connect() as conn:
        await conn.execute(text("SELECT 1"))

{%- if cookiecutter.auth_provider == "local" %}


async def _redis_answers(state: AppState) -> None:
    if not await state.login_throttle.store.ping():
        raise ConnectionError("Redis did not answer PING")  # only its type is logged
{%- endif %}
