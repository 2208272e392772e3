"""Every error leaves the service as `application/problem+json` (RFC 9457).

This one module maps the service's own `AppError`s, FastAPI's validation errors, Starlette's
routing errors (404, 405) and anything unexpected to a problem body. Unexpected errors get a
generic body: no stack trace, SQL or driver detail reaches a client. A dependency outage
(core/outages.py) is not unexpected: it answers 503 with `Retry-After`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse
from starlette.routing import Match, Route

from {{ cookiecutter.package_name }}.core.errors import AppError, DependencyUnavailable
from {{ cookiecutter.package_name }}.core.outages import OutageLog

PROBLEM_MEDIA_TYPE = "application/problem+json"
# A URN, not a URL: problem types are identifiers, and no documentation host is assumed.
PROBLEM_TYPE_BASE = "urn:{{ cookiecutter.project_slug }}:problem:"


class ProblemResponse(JSONResponse):
    media_type = PROBLEM_MEDIA_TYPE


def problem(
    status: int,
    *,
    detail: str,
    type_slug: str | None = None,
    title: str | None = None,
    headers: Mapping[str, str] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> ProblemResponse:
    phrase = HTTPStatus(status).phrase
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + (type_slug or phrase.lower().replace(" ", "-")),
        "title": title or phrase,
        "status": status,
        "detail": detail,
    }
    if extra:
        body.update(extra)
    return ProblemResponse(body, status_code=status, headers=dict(headers or {}))


def _validation_errors(errors: Sequence[Any]) -> list[dict[str, Any]]:
    # Only location, message and type: pydantic's "input" and "ctx" can echo what the client
    # sent (a password, say) and are left out on purpose.
    return [
        {
            "loc": [str(part) for part in error.get("loc", ())],
            "msg": str(error.get("msg", "")),
            "type": str(error.get("type", "")),
        }
        for error in errors
    ]


def app_problem(exc: AppError) -> ProblemResponse:
    """The problem response for one of the service's own errors."""
    return problem(
        exc.status_code,
        detail=exc.detail,
        type_slug=exc.type_slug,
        title=exc.title,
        headers=exc.headers,
    )


async def _validation_error(_request: Request, exc: Exception) -> ProblemResponse:
    assert isinstance(exc, RequestValidationError)  # noqa: S101 - registered for it only
    return problem(
        422,
        detail="The request is invalid; see `errors` for each field.",
        type_slug="validation-error",
        extra={"errors": _validation_errors(exc.errors())},
    )


def _allowed_methods(request: Request) -> str:
    # Starlette's 405 names only the first route that matched the path; a path served by
    # several routes (GET and PATCH /users/me) must list every method they accept.
    methods: set[str] = set()
    for route in request.app.router.routes:
        match, _ = route.matches(request.scope)
        if match != Match.NONE and isinstance(route, Route) and route.methods:
            methods |= route.methods
    return ", ".join(sorted(methods))


async def _http_error(request: Request, exc: Exception) -> ProblemResponse:
    assert isinstance(exc, StarletteHTTPException)  # noqa: S101 - registered for it only
    detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
    headers = dict(exc.headers or {})
    if exc.status_code == HTTPStatus.METHOD_NOT_ALLOWED:
        headers["Allow"] = _allowed_methods(request)
    return problem(exc.status_code, detail=detail, headers=headers)


def internal_error() -> ProblemResponse:
    """The body for an unexpected failure; the caller logs the exception itself."""
    return problem(500, detail=AppError.default_detail, type_slug=AppError.type_slug)


def install_problem_handlers(app: FastAPI, outages: OutageLog) -> None:
    """Register the handlers; `outages` logs the dependency outages they answer."""

    async def app_error(_request: Request, exc: Exception) -> ProblemResponse:
        assert isinstance(exc, AppError)  # noqa: S101 - registered for AppError only
        if isinstance(exc, DependencyUnavailable):
            outages.record(exc)
        return app_problem(exc)

    app.add_exception_handler(AppError, app_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    # Other exceptions are caught by the request-context middleware: an outage the driver
    # raised answers 503 there (`core.outages.as_outage`), anything else is logged with the
    # request id and its traceback and answers with `internal_error()`.


# Documented on every operation, so the OpenAPI schema names the problem body it can return.
PROBLEM_SCHEMA: dict[str, Any] = {
    "content": {
        PROBLEM_MEDIA_TYPE: {
            "schema": {
                "type": "object",
                "properties": {
                    "type": {"type": "string"},
                    "title": {"type": "string"},
                    "status": {"type": "integer"},
                    "detail": {"type": "string"},
                },
                "required": ["type", "title", "status", "detail"],
            }
        }
    }
}


# RFC 9110's names for the statuses Python 3.13 renamed, so the OpenAPI document
# (docs/openapi.json) reads the same whichever Python wrote it.
RFC_9110_PHRASES = {
    413: "Content Too Large",
    414: "URI Too Long",
    416: "Range Not Satisfiable",
    422: "Unprocessable Content",
}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {
        status: {
            "description": RFC_9110_PHRASES.get(status, HTTPStatus(status).phrase),
            **PROBLEM_SCHEMA,
        }
        for status in statuses
    }
