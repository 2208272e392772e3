"""The service's exception hierarchy.

Services raise these; `core.problems` turns each into an RFC 9457 problem response. The
`detail` is shown to clients, so it must never carry SQL, paths, stack traces or input echoes.
"""

from __future__ import annotations

from collections.abc import Mapping


class AppError(Exception):
    status_code: int = 500
    title: str = "Internal Server Error"
    type_slug: str = "internal-error"
    default_detail: str = "The server failed to handle the request. Retry later."

    def __init__(
        self, detail: str | None = None, *, headers: Mapping[str, str] | None = None
    ) -> None:
        self.detail = detail or self.default_detail
        self.headers = dict(headers or {})
        super().__init__(self.detail)


class BadRequest(AppError):
    status_code = 400
    title = "Bad Request"
    type_slug = "bad-request"
    default_detail = "The request is malformed."


class Unauthorized(AppError):
    status_code = 401
    title = "Unauthorized"
    type_slug = "unauthorized"
    default_detail = "Valid credentials are required."

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": "Bearer"})


class PermissionDenied(AppError):
    status_code = 403
    title = "Forbidden"
    type_slug = "forbidden"
    default_detail = "You are not allowed to perform this action."


class NotFound(AppError):
    status_code = 404
    title = "Not Found"
    type_slug = "not-found"
    default_detail = "The requested resource does not exist."


class Conflict(AppError):
    status_code = 409
    title = "Conflict"
    type_slug = "conflict"
    default_detail = "The request conflicts with the current state of the resource."


class PreconditionFailed(AppError):
    """An `If-Match` the resource no longer matches: someone changed it since it was read."""

    status_code = 412
    title = "Precondition Failed"
    type_slug = "precondition-failed"
    default_detail = (
        "The resource changed since the version named in If-Match. Read it again, reapply "
        "the change to what it now holds, and send that with the new ETag."
    )


class UnprocessableContent(AppError):
    status_code = 422
    title = "Unprocessable Content"
    type_slug = "unprocessable-content"
    default_detail = "The request is well-formed but cannot be processed."


class Throttled(AppError):
    """Too many attempts: the caller must wait `retry_after` seconds (sent as `Retry-After`)."""

    status_code = 429
    title = "Too Many Requests"
    type_slug = "too-many-requests"
    default_detail = "Too many attempts. Wait for the time in the Retry-After header, then retry."

    def __init__(self, retry_after: int, detail: str | None = None) -> None:
        self.retry_after = max(1, retry_after)
        super().__init__(detail, headers={"Retry-After": str(self.retry_after)})


class ServiceUnavailable(AppError):
    status_code = 503
    title = "Service Unavailable"
    type_slug = "service-unavailable"
    default_detail = "A dependency of the service is unavailable. Retry later."


# Long enough for a restarting database or a failover to finish, short enough that a client
# retrying on schedule does not wait long after it is back.
DEPENDENCY_RETRY_AFTER_SECONDS = 5


class DependencyUnavailable(ServiceUnavailable):
    """`dependency` (the database, Redis) cannot be reached: retry after `retry_after` seconds.

    `error_type` names the error that showed it (never its message, which can carry a host
    or credentials), for the outage log line (core/outages.py).
    """

    type_slug = "dependency-unavailable"

    def __init__(
        self,
        dependency: str,
        detail: str | None = None,
        *,
        error_type: str | None = None,
        retry_after: int = DEPENDENCY_RETRY_AFTER_SECONDS,
    ) -> None:
        self.dependency = dependency
        self.error_type = error_type
        self.retry_after = max(1, retry_after)
        super().__init__(
            detail
            or f"The service cannot reach its {dependency} for a moment. "
            "Retry after the time in the Retry-After header.",
            headers={"Retry-After": str(self.retry_after)},
        )
