"""The liveness answer, given by the application object before FastAPI's middleware stack.

Liveness asks one thing: does this process still run its event loop? Orchestrators ask it
every few seconds on every replica, so it must cost next to nothing and depend on nothing
that can fail for other reasons. `LivenessFirstApp` answers it as the request arrives, with
the request id, the security headers and the access line every answer has, and skips what
cannot change the answer: FastAPI's telemetry, error and body-limit layers, CORS, our body
limit and request-context middleware, the exception and dependency layers, route matching.
The route in `health/router.py` still documents it in the OpenAPI schema and answers what is
passed on: cross-origin requests, which CORS must see, and other methods (405).
"""

from __future__ import annotations

import time

import structlog
from fastapi import FastAPI
from starlette.types import Message, Receive, Scope, Send

from {{ cookiecutter.package_name }}.core.http.middleware import (
    HSTS_HEADER,
    REQUEST_ID_HEADER_BYTES,
    error_logger,
    incoming_request_id,
    log_request,
    security_headers,
)

LIVENESS_PATH = "/health/live"
# What `health.router.HealthStatus()` renders to; a test holds the two together.
LIVENESS_BODY = b'{"status":"ok"}'
LIVENESS_HEADERS = (
    (b"content-length", str(len(LIVENESS_BODY)).encode()),
    (b"content-type", b"application/json"),
)
LIVENESS_BODY_MESSAGE: Message = {"type": "http.response.body", "body": LIVENESS_BODY}
# The answer's headers before and after its request id, in the order (and with the values)
# `RequestContextMiddleware` gives any answer on this path; a test holds the two together.
_HEAD = list(LIVENESS_HEADERS)
_TAIL = security_headers([], "", LIVENESS_PATH, over_tls=False)[1:]


def is_liveness_probe(scope: Scope) -> bool:
    """A GET of the liveness path from a probe. A browser's cross-origin request (it carries
    `Origin`) goes through the whole stack instead, so CORS answers it as it answers any."""
    if scope["type"] != "http" or scope["path"] != LIVENESS_PATH or scope["method"] != "GET":
        return False
    return all(name != b"origin" for name, _ in scope["headers"])


async def answer_liveness(scope: Scope, send: Send, *, metrics: bool = False) -> None:
    """The probe's answer, with the request id, headers and access line every answer has,
    observed in the request metrics under its route when `metrics` is on."""
    request_id = incoming_request_id(scope)
    structlog.contextvars.bind_contextvars(request_id=request_id)
    started = time.perf_counter()
    logged = False
    headers = [*_HEAD, (REQUEST_ID_HEADER_BYTES, request_id.encode("latin-1")), *_TAIL]
    if scope.get("scheme") == "https":
        headers.append(HSTS_HEADER)
    try:
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        # The line before the body, as on every answer (middleware.log_request).
        logged = True
        log_request(scope, 200, started, metrics=metrics, route=LIVENESS_PATH)
        await send(LIVENESS_BODY_MESSAGE)
    except Exception:
        # The connection failed mid-answer; nothing more can be sent on it.
        error_logger.exception("unhandled_error", path=scope["path"])
    finally:
        if not logged:
            log_request(scope, 500, started, metrics=metrics, route=LIVENESS_PATH)
        structlog.contextvars.unbind_contextvars("request_id")


class LivenessFirstApp(FastAPI):
    """FastAPI, answering the liveness probe before its middleware stack sees the request.

    Middleware added to the app does not see the probe: one that must (a new log line, say)
    belongs in `answer_liveness` as well.
    """

    # Whether the probe's answers are observed in the request metrics (METRICS_ENABLED).
    liveness_metrics = False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if is_liveness_probe(scope):
            await answer_liveness(scope, send, metrics=self.liveness_metrics)
            return
        await super().__call__(scope, receive, send)
