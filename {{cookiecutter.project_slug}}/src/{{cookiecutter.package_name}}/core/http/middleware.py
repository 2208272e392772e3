"""Pure ASGI middleware: request ids, security headers, the access log, the last-resort answer.

Written against the raw ASGI interface rather than `BaseHTTPMiddleware`, which wraps every
request in extra tasks and memory streams and costs a large share of the hot path.
"""

from __future__ import annotations

import os
import re
import time

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from {{ cookiecutter.package_name }}.core.http.problems import (
    ProblemResponse,
    app_problem,
    internal_error,
    problem,
)
from {{ cookiecutter.package_name }}.core.observability.http_metrics import (
    ACTIVE_REQUESTS,
    observe_request,
    route_template,
)
from {{ cookiecutter.package_name }}.core.observability.logging import access_logger
from {{ cookiecutter.package_name }}.core.outages import OutageLog, as_outage

REQUEST_ID_HEADER = "x-request-id"
REQUEST_ID_HEADER_BYTES = REQUEST_ID_HEADER.encode()
API_PATH_PREFIX = "/api/"
DOCS_PATHS = frozenset({"/docs", "/docs/oauth2-redirect", "/openapi.json"})
# Served on every API answer: the API returns JSON only, so nothing may be sniffed, framed or
# run from it. The interactive docs page is exempt from the CSP, since it loads scripts.
CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'"
# Sent only on requests that arrived over TLS (uvicorn sets the scheme from trusted proxy
# headers): over plain HTTP the header is meaningless, and a local `make run` stays usable.
STRICT_TRANSPORT_SECURITY = "max-age=63072000; includeSubDomains"
# TRACE echoes the request (cookies, Authorization) back; CONNECT and unknown methods have no
# use here. Refused before routing, so no route can accept them by accident.
ALLOWED_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
ALLOW_HEADER = ", ".join(sorted(ALLOWED_METHODS))
# A caller-supplied id is kept only if it is short and plain, so it cannot forge log lines.
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._\-]{1,128}$")
# Response headers as ASGI sends them: set on every answer, added only when not already there.
_NOSNIFF = (b"x-content-type-options", b"nosniff")
_CSP = (b"content-security-policy", CONTENT_SECURITY_POLICY.encode())
_NO_STORE = (b"cache-control", b"no-store")
HSTS_HEADER = (b"strict-transport-security", STRICT_TRANSPORT_SECURITY.encode())
# Headers this middleware owns: any value the app set for them is replaced.
_REPLACED = frozenset({REQUEST_ID_HEADER_BYTES, _NOSNIFF[0], HSTS_HEADER[0]})

error_logger = structlog.get_logger("errors")


def incoming_request_id(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == REQUEST_ID_HEADER_BYTES:
            candidate: str = value.decode("latin-1")
            if _VALID_REQUEST_ID.match(candidate):
                return candidate
            break
    # 128 random bits, like a UUID4's hex form, without building a UUID object.
    return os.urandom(16).hex()


def security_headers(
    headers: list[tuple[bytes, bytes]], request_id: str, path: str, over_tls: bool
) -> list[tuple[bytes, bytes]]:
    """The response headers with ours added: one pass over them, not one per header set."""
    present = {name.lower() for name, _ in headers}
    added = [(name, value) for name, value in headers if name.lower() not in _REPLACED]
    added += [(REQUEST_ID_HEADER_BYTES, request_id.encode("latin-1")), _NOSNIFF]
    if path not in DOCS_PATHS and _CSP[0] not in present:
        added.append(_CSP)
    if path.startswith(API_PATH_PREFIX) and _NO_STORE[0] not in present:
        # Tokens and personal data must not be kept by browsers or proxies.
        added.append(_NO_STORE)
    if over_tls:
        added.append(HSTS_HEADER)
    return added


def log_request(
    scope: Scope,
    status_code: int,
    started: float,
    *,
    metrics: bool,
    route: str | None = None,
    included_under: str = "",
) -> None:
    """The access line every answer writes, `started` being its `time.perf_counter()`, and,
    with `metrics`, its observation in the request metrics under `route` (by default the
    template of the route the request matched, its router included under `included_under`).

    Called before the answer's last message is passed to the server, and written to stderr at
    once: a client never holds an answer whose line the process could still lose (a process
    killed outright, by SIGKILL or for memory, runs no more code). The duration therefore ends
    as the last of the answer is handed over.
    """
    seconds = time.perf_counter() - started
    if metrics:
        route = route or route_template(scope, included_under)
        observe_request(scope, route, status_code, seconds)
    access_logger().info(
        "request",
        method=scope["method"],
        path=scope["path"],
        status=status_code,
        duration_ms=round(seconds * 1000, 2),
    )


def _method_not_allowed() -> ProblemResponse:
    # Built per request: the send wrapper adds headers to the response's own header list.
    return problem(
        405,
        detail=f"This service does not accept that method; use one of: {ALLOW_HEADER}.",
        headers={"Allow": ALLOW_HEADER},
    )


class RequestContextMiddleware:
    """Bind a request id to every log line, echo it, set security headers, log one access line.

    One middleware rather than several: each ASGI layer costs a call and a closure per request.
    The access line is written before the answer's final body message goes to the server, or
    as the request ends when none does (`log_request`).
    The liveness probe is answered before it, with the same headers and access line
    (`core/http/liveness.py`). An error no handler took is a dependency outage (503, counted in
    `outages`) or a bug (500, logged with its traceback).
    """

    def __init__(
        self,
        app: ASGIApp,
        outages: OutageLog | None = None,
        *,
        metrics: bool = False,
        api_prefix: str = "",
    ) -> None:
        self.app = app
        self.outages = outages or OutageLog()
        # Whether each answer is observed in the request metrics (METRICS_ENABLED), and the
        # prefix the feature routers are included under, for their route templates.
        self.metrics = metrics
        self.api_prefix = api_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        request_id = incoming_request_id(scope)
        path: str = scope["path"]
        over_tls = scope.get("scheme") == "https"
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.perf_counter()
        status_code = 500
        response_started = False
        logged = False
        metrics, api_prefix = self.metrics, self.api_prefix
        if metrics:
            ACTIVE_REQUESTS.inc()

        async def send_with_request_id(message: Message) -> None:
            nonlocal status_code, response_started, logged
            if message["type"] == "http.response.start":
                response_started = True
                status_code = message["status"]
                message["headers"] = security_headers(
                    list(message.get("headers", ())), request_id, path, over_tls
                )
            elif (
                message["type"] == "http.response.body"
                and not message.get("more_body", False)
                and not logged
            ):
                # The line first, so it is in the kernel before the client has the answer.
                logged = True
                log_request(scope, status_code, started, metrics=metrics, included_under=api_prefix)
            await send(message)

        try:
            if scope["method"] in ALLOWED_METHODS:
                await self.app(scope, receive, send_with_request_id)
            else:
                await _method_not_allowed()(scope, receive, send_with_request_id)
        except Exception as error:
            outage = as_outage(error)
            if outage is None:
                error_logger.exception("unhandled_error", path=scope["path"])
                response = internal_error()
            else:
                self.outages.record(outage)
                response = app_problem(outage)
            if not response_started:
                await response(scope, receive, send_with_request_id)
        finally:
            if not logged:
                # No final body went out: the app failed mid-answer, or the client left.
                log_request(scope, status_code, started, metrics=metrics, included_under=api_prefix)
            if metrics:
                ACTIVE_REQUESTS.dec()
            structlog.contextvars.unbind_contextvars("request_id")
