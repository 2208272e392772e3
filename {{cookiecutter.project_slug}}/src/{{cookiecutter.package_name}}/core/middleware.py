"""Pure ASGI middleware: request ids, security headers, the access log, the last-resort 500.

Written against the raw ASGI interface rather than `BaseHTTPMiddleware`, which wraps every
request in extra tasks and memory streams and costs a large share of the hot path.
"""

from __future__ import annotations

import re
import time
import uuid

import structlog
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from {{ cookiecutter.package_name }}.core.problems import ProblemResponse, internal_error, problem

REQUEST_ID_HEADER = "x-request-id"
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

access_logger = structlog.get_logger("access")
error_logger = structlog.get_logger("errors")


def _incoming_request_id(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == REQUEST_ID_HEADER.encode():
            candidate: str = value.decode("latin-1")
            if _VALID_REQUEST_ID.match(candidate):
                return candidate
            break
    return uuid.uuid4().hex


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
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        request_id = _incoming_request_id(scope)
        path: str = scope["path"]
        over_tls = scope.get("scheme") == "https"
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.perf_counter()
        status_code = 500
        response_started = False

        async def send_with_request_id(message: Message) -> None:
            nonlocal status_code, response_started
            if message["type"] == "http.response.start":
                response_started = True
                status_code = message["status"]
                headers = MutableHeaders(scope=message)
                headers[REQUEST_ID_HEADER] = request_id
                headers["x-content-type-options"] = "nosniff"
                if path not in DOCS_PATHS:
                    headers.setdefault("content-security-policy", CONTENT_SECURITY_POLICY)
                if path.startswith(API_PATH_PREFIX):
                    # Tokens and personal data must not be kept by browsers or proxies.
                    headers.setdefault("cache-control", "no-store")
                if over_tls:
                    headers["strict-transport-security"] = STRICT_TRANSPORT_SECURITY
            await send(message)

        try:
            if scope["method"] in ALLOWED_METHODS:
                await self.app(scope, receive, send_with_request_id)
            else:
                await _method_not_allowed()(scope, receive, send_with_request_id)
        except Exception:
            error_logger.exception("unhandled_error", path=scope["path"])
            if not response_started:
                await internal_error()(scope, receive, send_with_request_id)
        finally:
            access_logger.info(
                "request",
                method=scope["method"],
                path=scope["path"],
                status=status_code,
                duration_ms=round((time.perf_counter() - started) * 1000, 2),
            )
            structlog.contextvars.unbind_contextvars("request_id")
