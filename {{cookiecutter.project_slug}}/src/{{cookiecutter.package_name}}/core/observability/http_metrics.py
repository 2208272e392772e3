"""RED metrics of the HTTP API: requests by route template, method and status class.

The route label is the template the request matched (`/api/v1/items/{item_id}`), never the
raw path, and every request no route matched shares one value, so a scan of random paths
cannot grow the series. A histogram's `_count` is the request count.
"""

from __future__ import annotations

from prometheus_client import Gauge, Histogram
from starlette.types import Scope

UNMATCHED_ROUTE = "unmatched"
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# Around the latency objective (0.25 s) finely, so its ratio is read off one bucket.
DURATION_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

REQUEST_DURATION = Histogram(
    "http_server_request_duration_seconds",
    "Time from a request's arrival to the last of its answer being handed to the server.",
    ["method", "route", "status_class"],
    buckets=DURATION_BUCKETS,
)
ACTIVE_REQUESTS = Gauge(
    "http_server_active_requests", "Requests being answered (the liveness probe excepted)."
)

# One labelled child per (method, route, status class): looking it up by its labels costs
# more than the observation itself, and the set of keys is bounded by the routes.
_children: dict[tuple[str, str, int], Histogram] = {}


def route_template(scope: Scope, included_under: str) -> str:
    """The matched route's template. FastAPI keeps a route's own path without the prefix its
    router was included under (`included_under`, the API prefix), so it is put back here."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    if not isinstance(path, str):
        return UNMATCHED_ROUTE
    if included_under and scope["path"].startswith(included_under + "/"):
        return included_under + path
    return path


def observe_request(scope: Scope, route: str, status_code: int, seconds: float) -> None:
    method: str = scope["method"]
    if method not in KNOWN_METHODS:
        method = "_OTHER"
    key = (method, route, status_code // 100)
    child = _children.get(key)
    if child is None:
        child = _children[key] = REQUEST_DURATION.labels(method, route, f"{key[2]}xx")
    child.observe(seconds)
