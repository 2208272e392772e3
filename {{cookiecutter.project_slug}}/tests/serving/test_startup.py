"""Start-up: what the serving process loads, and the garbage collector paused meanwhile.

The import checks run in a fresh interpreter, since this test process has long since imported
everything; they assert which modules are loaded, never how long anything took.
"""

from __future__ import annotations

import gc
import importlib.util
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from {{ cookiecutter.package_name }}.startup import (
    import_structlog_without_rich,
    pause_gc,
    resume_gc,
)
from tests.conftest import TEST_SECRET

# Development tools and features used only later (a login, a migration, a shared Redis), or
# never by the server: none of them may be imported before it serves.
{%- if cookiecutter.auth_provider == "local" %}
NOT_LOADED_TO_SERVE = ("alembic", "argon2", "httpx", "pygments", "redis", "rich", "schemathesis")
{%- else %}
# httpx serves: it fetches the provider's keys (auth/jwks.py).
NOT_LOADED_TO_SERVE = ("alembic", "pygments", "redis", "rich", "schemathesis")
{%- endif %}
# Tracing's machinery, loaded only with tracing on (core/observability/tracing.py): FastAPI
# imports OpenTelemetry's API, never its SDK, exporters or instrumentation.
TRACING_MODULES = ("opentelemetry.sdk", "opentelemetry.exporter", "opentelemetry.instrumentation")

# `serve` as the command line runs it, up to the point where uvicorn listens: the app factory
# called and the lifespan's start-up run (then its shutdown). Prints the loaded modules.
SERVE_UNTIL_LISTENING = """
import asyncio, sys
import uvicorn
from uvicorn.lifespan.on import LifespanOn

def start_and_stop(server, sockets=None):
    server.config.load()

    async def lifespan():
        lifespan = LifespanOn(server.config)
        await lifespan.startup()
        assert not lifespan.should_exit, "the lifespan start-up failed"
        await lifespan.shutdown()

    asyncio.run(lifespan())

uvicorn.Server.run = start_and_stop
from {{ cookiecutter.package_name }}.cli import main
main(["serve"])
print("\\n".join(sorted(sys.modules)))
"""


def _run_python(code: str, tmp_path: Path, **env: str) -> list[str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "LOG_FORMAT", "TELEMETRY_ENABLED"}
        and not key.startswith("OTEL_")
    }
    environment |= {
        "SECRET_KEY": TEST_SECRET,
        # Any free port for /metrics: processes of parallel tests must not share one.
        "METRICS_PORT": "0",
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'startup.db'}",
        **env,
    }
    completed = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code],
        cwd=tmp_path,  # no .env here
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return completed.stdout.split()


def _top_level(modules: list[str]) -> set[str]:
    return {name.partition(".")[0] for name in modules}


@pytest.mark.server
def test_serving_loads_no_development_tool_and_nothing_used_only_later(tmp_path: Path) -> None:
    modules = _run_python(SERVE_UNTIL_LISTENING, tmp_path, LOG_FORMAT="json")
    assert "{{ cookiecutter.package_name }}.main" in modules  # the real app was built
    assert _top_level(modules).isdisjoint(NOT_LOADED_TO_SERVE)
    assert [name for name in modules if name.startswith(TRACING_MODULES)] == []


@pytest.mark.server
def test_an_otlp_endpoint_turns_tracing_on_with_its_exporter(tmp_path: Path) -> None:
    # Nothing listens there: spans are batched and exported in the background, so serving
    # does not wait for the collector.
    modules = _run_python(
        SERVE_UNTIL_LISTENING,
        tmp_path,
        LOG_FORMAT="json",
        OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:9",
        OTEL_BSP_EXPORT_TIMEOUT="100",
    )
    assert "opentelemetry.sdk.trace" in modules
    assert "opentelemetry.exporter.otlp.proto.http.trace_exporter" in modules
    assert "opentelemetry.instrumentation.sqlalchemy" in modules


def test_structlog_imported_without_rich_leaves_rich_importable(tmp_path: Path) -> None:
    if importlib.util.find_spec("rich") is None:
        pytest.skip("rich is not installed here, so there is nothing to keep out")
    code = (
        "import sys\n"
        "from {{ cookiecutter.package_name }}.startup import import_structlog_without_rich\n"
        "import_structlog_without_rich()\n"
        "import structlog.dev\n"
        "print(structlog.dev.rich is None, 'rich' in sys.modules)\n"
        "import rich\n"
        "print(rich.__name__)\n"
    )
    assert _run_python(code, tmp_path) == ["True", "False", "rich"]


def test_structlog_already_imported_is_left_as_it_is() -> None:
    # This process imported structlog long ago, rich with it when installed: nothing to redo.
    rich_before = sys.modules.get("rich")
    import_structlog_without_rich()
    assert "structlog" in sys.modules
    assert sys.modules.get("rich") is rich_before


@pytest.fixture
def collector() -> Iterator[None]:
    """Puts this process's collector back as it was."""
    enabled, frozen = gc.isenabled(), gc.get_freeze_count()
    yield
    if gc.get_freeze_count() != frozen:
        gc.unfreeze()
    if enabled:
        gc.enable()
    else:
        gc.disable()


@pytest.mark.usefixtures("collector")
def test_the_paused_collector_resumes_with_start_ups_objects_frozen() -> None:
    gc.enable()
    frozen = gc.get_freeze_count()
    pause_gc()
    assert not gc.isenabled()
    resume_gc()
    assert gc.isenabled()
    assert gc.get_freeze_count() > frozen


@pytest.mark.usefixtures("collector")
def test_resuming_a_collector_nobody_paused_changes_nothing() -> None:
    gc.disable()
    frozen = gc.get_freeze_count()
    resume_gc()
    assert not gc.isenabled()
    assert gc.get_freeze_count() == frozen
