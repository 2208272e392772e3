"""The liveness answer, served by the outermost middleware before any routing.

Liveness asks one thing: does this process still run its event loop? Orchestrators ask it
every few seconds on every replica, so it must cost next to nothing and depend on nothing
that can fail for other reasons. Answering it in `RequestContextMiddleware` keeps the request
id, the security headers and the access line, and skips what cannot change the answer:
CORS, the body limit, FastAPI's exception and dependency layers and route matching. The
route in `health/router.py` still documents it in the OpenAPI schema and answers what the
middleware passes on: cross-origin requests, which CORS must see, and other methods (405).
"""

from __future__ import annotations

from starlette.types import Message, Scope

LIVENESS_PATH = "/health/live"
# What `health.router.HealthStatus()` renders to; a test holds the two together.
LIVENESS_BODY = b'{"status":"ok"}'
LIVENESS_HEADERS = (
    (b"content-length", str(len(LIVENESS_BODY)).encode()),
    (b"content-type", b"application/json"),
)


def is_liveness_probe(scope: Scope) -> bool:
    """A GET of the liveness path from a probe. A browser's cross-origin request (it carries
    `Origin`) goes through the whole stack instead, so CORS answers it as it answers any."""
    if scope["path"] != LIVENESS_PATH or scope["method"] != "GET":
        return False
    return all(name != b"origin" for name, _ in scope["headers"])


LIVENESS_BODY_MESSAGE: Message = {"type": "http.response.body", "body": LIVENESS_BODY}
