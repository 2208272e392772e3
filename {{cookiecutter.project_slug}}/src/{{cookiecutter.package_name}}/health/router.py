"""Liveness says the process runs; readiness says it can serve (its dependencies answer).

Kept apart so an orchestrator restarts a wedged process (liveness) but only stops routing
traffic to one whose database is down (readiness), instead of restarting it in a loop.
"""

from __future__ import annotations

import asyncio
from typing import Literal

import structlog
from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import text
from starlette.responses import Response

from {{ cookiecutter.package_name }}.core.dependencies import StateDep
from {{ cookiecutter.package_name }}.core.liveness import LIVENESS_BODY
from {{ cookiecutter.package_name }}.core.problems import problem, problem_responses

router = APIRouter(prefix="/health", tags=["health"])
logger = structlog.get_logger(__name__)

READINESS_TIMEOUT_SECONDS = 2.0


class HealthStatus(BaseModel):
    status: Literal["ok"] = "ok"


@router.get("/live", response_model=HealthStatus)
async def live() -> Response:
    """The process is up. No I/O, so it stays cheap under any load.

    The app object (`LivenessFirstApp`, `core/liveness.py`) answers a probe's GET before any
    middleware; this route documents the answer in the OpenAPI schema and serves what is
    passed on (a cross-origin GET) and any app that mounts the router without that class.
    """
    return Response(LIVENESS_BODY, media_type="application/json")


@router.get("/ready", response_model=HealthStatus, responses=problem_responses(503))
async def ready(state: StateDep) -> HealthStatus | Response:
    """The service can serve requests: the database answers `SELECT 1`, Redis (if used) PING."""
    if state.shutdown.begun:
        # Load balancers stop routing here while the requests in flight finish.
        return problem(
            503,
            detail="The service is not ready: it is shutting down.",
            type_slug="not-ready",
            extra={"checks": {"shutdown": "started"}},
        )
    try:
        async with asyncio.timeout(READINESS_TIMEOUT_SECONDS), state.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except Exception as exc:
        logger.warning("readiness_check_failed", check="database", error_type=type(exc).__name__)
        # Names the failed check only: no driver message, host or credentials.
        return problem(
            503,
            detail="The service is not ready: the database check failed.",
            type_slug="not-ready",
            extra={"checks": {"database": "failed"}},
        )
    # The login counters: in Redis when REDIS_URL is set, where logins fail without it.
    if not await state.login_throttle.store.ping():
        logger.warning("readiness_check_failed", check="redis")
        return problem(
            503,
            detail="The service is not ready: the Redis check failed.",
            type_slug="not-ready",
            extra={"checks": {"redis": "failed"}},
        )
    return HealthStatus()
