"""`python -m tests.slow_server serve ...`: the real command line and app, plus a slow route.

The shutdown tests need a request that is still in flight when SIGTERM arrives. The product
has no slow endpoint and must not get one, so this module adds it: it swaps the factory the
`serve` command loads for one that mounts `/test/slow` (and a counter of those in flight) on
the unchanged `create_app()`. Everything else (options, server, signals) is the real thing.
"""

from __future__ import annotations

import asyncio
import sys

from fastapi import FastAPI

from {{ cookiecutter.package_name }} import cli
from {{ cookiecutter.package_name }}.main import create_app as create_service_app

FACTORY = "tests.slow_server:create_app"


def create_app() -> FastAPI:
    app = create_service_app()
    in_flight = {"count": 0}

    @app.get("/test/slow")
    async def slow(seconds: float) -> dict[str, float]:
        in_flight["count"] += 1
        try:
            await asyncio.sleep(seconds)
        finally:
            in_flight["count"] -= 1
        return {"slept": seconds}

    @app.get("/test/in-flight")
    async def count_in_flight() -> dict[str, int]:
        return {"in_flight": in_flight["count"]}

    return app


if __name__ == "__main__":
    cli.APP_FACTORY = FACTORY
    sys.exit(cli.main())
