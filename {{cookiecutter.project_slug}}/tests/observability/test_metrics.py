"""The Prometheus metrics: served on their own port, per route template, bounded, switchable."""

from __future__ import annotations

import asyncio
import socket
import time

import httpx
import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient

from {{ cookiecutter.package_name }}.core.observability.metrics_server import MetricsServer, start_metrics_server
from {{ cookiecutter.package_name }}.main import create_app
from tests.conftest import make_settings
from tests.metrics_reading import sample

REQUESTS = "http_server_request_duration_seconds_count"


def metrics_port(app: FastAPI) -> int:
    server = app.state.metrics_server
    assert isinstance(server, MetricsServer)
    return server.port


async def scrape(app: FastAPI) -> httpx.Response:
    async with httpx.AsyncClient() as http:
        return await http.get(f"http://127.0.0.1:{metrics_port(app)}/metrics")


async def test_metrics_are_served_on_their_own_port_and_never_on_the_api(
    app: FastAPI, client: AsyncClient
) -> None:
    await client.get("/health/live")
    scraped = await scrape(app)
    assert scraped.status_code == 200
    assert scraped.headers["content-type"].startswith("text/plain")
    for name in (
        "http_server_request_duration_seconds_bucket",
        "http_server_active_requests",
        "db_pool_connections_max",
        "process_resident_memory_bytes",
    ):
        assert name in scraped.text
    assert (await client.get("/metrics")).status_code == 404


async def test_requests_are_counted_by_route_template_method_and_status_class(
    client: AsyncClient,
) -> None:
    me = {"method": "GET", "route": "/api/v1/users/me", "status_class": "4xx"}
    live = {"method": "GET", "route": "/health/live", "status_class": "2xx"}
    before_me, before_live = sample(REQUESTS, **me), sample(REQUESTS, **live)

    assert (await client.get("/api/v1/users/me")).status_code == 401
    assert (await client.get("/health/live")).status_code == 200

    assert sample(REQUESTS, **me) == before_me + 1
    assert sample(REQUESTS, **live) == before_live + 1


async def test_paths_no_route_matches_share_one_label_value(
    app: FastAPI, client: AsyncClient
) -> None:
    unmatched = {"method": "GET", "route": "unmatched", "status_class": "4xx"}
    before = sample(REQUESTS, **unmatched)
    for number in range(3):
        assert (await client.get(f"/api/v1/no-such-thing/{number}")).status_code == 404
    assert sample(REQUESTS, **unmatched) == before + 3
    assert "no-such-thing" not in (await scrape(app)).text


async def test_an_unknown_method_is_one_label_value(client: AsyncClient) -> None:
    other = {"method": "_OTHER", "route": "unmatched", "status_class": "4xx"}
    before = sample(REQUESTS, **other)
    assert (await client.request("BREW", "/health/live")).status_code == 405
    assert (await client.request("PROPFIND", "/health/live")).status_code == 405
    assert sample(REQUESTS, **other) == before + 2


async def test_no_request_stays_counted_in_flight(client: AsyncClient) -> None:
    before = sample("http_server_active_requests")
    await client.get("/api/v1/users/me")
    await client.get("/api/v1/no-such-thing")
    assert sample("http_server_active_requests") == before


async def test_queries_are_timed_by_kind_and_the_pool_is_reported(
    app: FastAPI, client: AsyncClient
) -> None:
    before = sample("db_query_duration_seconds_count", operation="select")
    assert (await client.get("/health/ready")).status_code == 200
    assert sample("db_query_duration_seconds_count", operation="select") > before
    assert sample("db_pool_connections_max") >= 1
    # Every request gave its connection back. A background poll of the same pool (the jobs'
    # relay, with jobs in process) may hold one for a moment, so the gauge is read until 0.
    deadline = time.monotonic() + 5
    in_use = sample("db_pool_connections_in_use")
    while in_use != 0 and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
        in_use = sample("db_pool_connections_in_use")
    assert in_use == 0
    assert sample("health_check_up", check="database") == 1


async def test_switched_off_nothing_is_served_or_recorded(database_url: str) -> None:
    app = create_app(make_settings(database_url, metrics_enabled=False))
    live = {"method": "GET", "route": "/health/live", "status_class": "2xx"}
    me = {"method": "GET", "route": "/api/v1/users/me", "status_class": "4xx"}
    async with app.router.lifespan_context(app):
        assert app.state.metrics_server is None
        before_live, before_me = sample(REQUESTS, **live), sample(REQUESTS, **me)
        transport = ASGITransport(app=app)
        async with AsyncClient(transport=transport, base_url="http://testserver") as http:
            await http.get("/health/live")
            await http.get("/api/v1/users/me")
        assert sample(REQUESTS, **live) == before_live
        assert sample(REQUESTS, **me) == before_me


def test_a_metrics_port_in_use_stops_start_up_with_what_to_do(database_url: str) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        settings = make_settings(database_url, metrics_port=port)
        with pytest.raises(RuntimeError, match=rf"METRICS_PORT: cannot listen on 127.0.0.1:{port}"):
            start_metrics_server(settings)
