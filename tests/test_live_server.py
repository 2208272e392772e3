"""A baked service, installed and migrated, serves real HTTP and stops cleanly on SIGTERM."""

from __future__ import annotations

import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.commands import run_ok
from tests.support.projects import InstalledProjects
from tests.support.serving import Server, serving

SHUTDOWN_TIMEOUT_SECONDS = 10.0
REQUEST_ID = "template-test-0001"


@pytest.fixture
def server(
    installed_projects: InstalledProjects, baked_env: dict[str, str], tmp_path: Path
) -> Iterator[Server]:
    project = installed_projects.installed()
    run_ok(["make", "migrate"], project, baked_env)
    with serving(project, baked_env, tmp_path / "server.log") as running:
        yield running


@pytest.mark.slow
def test_make_install_compiles_every_dependency_module(
    installed_projects: InstalledProjects,
) -> None:
    # InstalledProjects runs `make install` with PYTHONDONTWRITEBYTECODE=1, as some machines
    # set it: Python then never writes .pyc files, and a venv without them compiles its
    # dependencies again at every start (`make run` answered its first request after about
    # 8 s instead of 3 s).
    # Imports alone would compile only the modules they load; every module has bytecode here.
    project = installed_projects.installed()
    (site_packages,) = (project / ".venv" / "lib").glob("python3.*/site-packages")
    modules = sorted((site_packages / "fastapi").rglob("*.py"))

    assert modules
    uncompiled = [
        module.relative_to(site_packages).as_posix()
        for module in modules
        if not list((module.parent / "__pycache__").glob(f"{module.stem}.cpython-*.pyc"))
    ]
    assert uncompiled == []


@pytest.mark.slow
def test_served_api_round_trip_and_clean_shutdown(server: Server) -> None:
    server.wait_until_live()
    with httpx.Client(base_url=server.base_url, timeout=10.0) as http:
        ready = http.get("/health/ready", headers={"X-Request-ID": REQUEST_ID})
        assert ready.status_code == 200, ready.text
        assert ready.headers.get("X-Request-ID") == REQUEST_ID

        credentials = {"email": "ada@example.com", "password": "correct horse battery"}
        registered = http.post(
            "/api/v1/auth/register", json={**credentials, "full_name": "Ada Lovelace"}
        )
        assert registered.status_code == 201, registered.text
        assert registered.json()["email"] == credentials["email"]
        assert "password" not in registered.text

        login = http.post(
            "/api/v1/auth/login",
            data={"username": credentials["email"], "password": credentials["password"]},
        )
        assert login.status_code == 200, login.text
        tokens = login.json()
        assert tokens["token_type"] == "bearer"
        auth = {"Authorization": f"Bearer {tokens['access_token']}"}

        anonymous = http.get("/api/v1/notes")
        assert anonymous.status_code == 401

        created = http.post(
            "/api/v1/notes", json={"title": "First", "body": "Hello over HTTP"}, headers=auth
        )
        assert created.status_code == 201, created.text

        listed = http.get("/api/v1/notes", headers=auth)
        assert listed.status_code == 200, listed.text
        page = listed.json()
        assert [item["id"] for item in page["items"]] == [created.json()["id"]]
        assert page["next_cursor"] is None

    server.process.send_signal(signal.SIGTERM)
    try:
        status = server.process.wait(timeout=SHUTDOWN_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the server ignored SIGTERM for {SHUTDOWN_TIMEOUT_SECONDS}s")
    assert status == 0, server.output()
