"""The Prometheus exposition endpoint: `/metrics` on METRICS_PORT, beside the API, never on it.

Served from a thread by prometheus_client's own WSGI server, so a scrape is answered even
while the event loop is busy, and the API's middleware, routes and OpenAPI document never
see it. Each process serves the metrics it records; the server runs one process per
container and scales by replicas, so no multi-process aggregation is needed.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from wsgiref.simple_server import WSGIServer

import structlog
from prometheus_client import start_http_server

from {{ cookiecutter.package_name }}.core.config import CoreSettings

logger = structlog.get_logger(__name__)


@dataclass(frozen=True, slots=True)
class MetricsServer:
    server: WSGIServer
    thread: threading.Thread

    @property
    def port(self) -> int:
        return int(self.server.server_port)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


def start_metrics_server(settings: CoreSettings) -> MetricsServer | None:
    """Serve `/metrics` when metrics are on; None when they are off."""
    if not settings.metrics_enabled:
        return None
    try:
        server, thread = start_http_server(settings.metrics_port, addr=settings.metrics_host)
    except OSError as error:
        msg = (
            f"METRICS_PORT: cannot listen on {settings.metrics_host}:{settings.metrics_port} "
            f"({error.strerror}); choose a free port, or set METRICS_ENABLED=false"
        )
        raise RuntimeError(msg) from error
    metrics = MetricsServer(server, thread)
    logger.info("metrics_serving", host=settings.metrics_host, port=metrics.port)
    return metrics
