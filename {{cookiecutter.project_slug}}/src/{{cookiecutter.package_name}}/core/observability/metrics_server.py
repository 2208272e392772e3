"""The Prometheus exposition endpoint: `/metrics` on METRICS_PORT, beside the API, never on it.

Served from a thread by a stdlib WSGI server running prometheus_client's WSGI app, so a
scrape is answered even while the event loop is busy, and the API's middleware, routes and
OpenAPI document never see it. Each process serves the metrics it records; the server runs
one process per container and scales by replicas, so no multi-process aggregation is needed.

The server is built here rather than by `prometheus_client.start_http_server` for one reason:
that one polls for its shutdown flag every 0.5 s, so every stop (each SIGTERM, each test app)
waited up to half a second. This one looks every `SHUTDOWN_POLL_SECONDS`.
"""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import structlog
from prometheus_client import make_wsgi_app

from {{ cookiecutter.package_name }}.core.config import CoreSettings

logger = structlog.get_logger(__name__)

# How long a stop may wait for the serving thread to notice it; a wake-up this often is free.
SHUTDOWN_POLL_SECONDS = 0.02


class _ScrapeServer(ThreadingMixIn, WSGIServer):
    # A thread per scrape, none of them kept alive past the process or joined at close.
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Scrapes are not access-logged: Prometheus makes one every few seconds."""


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
    host, port = settings.metrics_host, settings.metrics_port
    try:
        server = make_server(
            host, port, make_wsgi_app(), _server_class(host, port), handler_class=_QuietHandler
        )
    except OSError as error:
        msg = (
            f"METRICS_PORT: cannot listen on {host}:{port} "
            f"({error.strerror}); choose a free port, or set METRICS_ENABLED=false"
        )
        raise RuntimeError(msg) from error
    thread = threading.Thread(
        target=server.serve_forever,
        kwargs={"poll_interval": SHUTDOWN_POLL_SECONDS},
        name="metrics-server",
        daemon=True,
    )
    thread.start()
    metrics = MetricsServer(server, thread)
    logger.info("metrics_serving", host=host, port=metrics.port)
    return metrics


def _server_class(host: str, port: int) -> type[_ScrapeServer]:
    # The stdlib server binds IPv4 unless told otherwise; METRICS_HOST may be an IPv6 address.
    family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0][0]

    class ScrapeServer(_ScrapeServer):
        address_family = family

    return ScrapeServer
