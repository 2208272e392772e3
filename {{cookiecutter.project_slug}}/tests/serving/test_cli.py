"""The command line: {% if cookiecutter.auth_provider == "local" %}administrator creation and {% endif %}configuration errors."""

from __future__ import annotations

{% if cookiecutter.auth_provider == "local" %}import io
{% endif %}from pathlib import Path
from typing import Any

import pytest
import uvicorn
{%- if cookiecutter.auth_provider == "local" %}
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncEngine
{%- endif %}

from {{ cookiecutter.package_name }} import cli
{%- if cookiecutter.auth_provider == "local" %}
from {{ cookiecutter.package_name }}.admin import create_admin_account
{%- endif %}
from {{ cookiecutter.package_name }}.http1.h11_protocol import LimitedH11Protocol
from {{ cookiecutter.package_name }}.http1.httptools_protocol import LimitedHttpToolsProtocol
from {{ cookiecutter.package_name }}.http1.limits import HeadLimits, ServeConfig
from {{ cookiecutter.package_name }}.server import GracefulServer
{%- if cookiecutter.auth_provider == "local" %}
from {{ cookiecutter.package_name }}.settings import Settings
from tests.api_helpers import PASSWORD, login
{%- endif %}
from tests.conftest import TEST_SECRET
{%- if cookiecutter.auth_provider == "local" %}


async def test_create_admin_makes_an_account_that_can_list_users(
    client: AsyncClient, settings: Settings, engine: AsyncEngine
) -> None:
    assert await create_admin_account(settings, "Root@Example.com", PASSWORD) == 0
    tokens = await login(client, "root@example.com")
    response = await client.get(
        "/api/v1/users", headers={"Authorization": f"Bearer {tokens['access_token']}"}
    )
    assert response.status_code == 200
{%- endif %}
{%- if cookiecutter.auth_provider == "local" %}


async def test_create_admin_refuses_a_duplicate_and_a_bad_password(
    client: AsyncClient, settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await create_admin_account(settings, "root@example.com", PASSWORD) == 0
    assert await create_admin_account(settings, "root@example.com", PASSWORD) == 1
    assert "already exists" in capsys.readouterr().err
    assert await create_admin_account(settings, "other@example.com", "short") == 1
    error = capsys.readouterr().err
    assert "password" in error
    assert "short" not in error.replace("password", "")
{%- endif %}


def test_configuration_errors_exit_2_with_one_line_each(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.setenv("SECRET_KEY", "changethis")
    with pytest.raises(SystemExit) as exited:
        cli.main(["serve"])
    assert exited.value.code == 2
    error = capsys.readouterr().err
    assert "configuration error:" in error
    assert "SECRET_KEY is a placeholder" in error
    assert "changethis" not in error


def test_serve_runs_uvicorn_with_the_factory_and_our_logging(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SECRET_KEY", TEST_SECRET)
    configs: list[uvicorn.Config] = []
    monkeypatch.setattr(GracefulServer, "run", lambda server: configs.append(server.config))
    assert cli.main(["serve", "--port", "8123", "--graceful-timeout", "7"]) == 0
    (config,) = configs
    assert config.app == "{{ cookiecutter.package_name }}.main:create_app"
    assert config.factory is True
    assert config.port == 8123
    assert config.timeout_graceful_shutdown == 7
    assert config.access_log is False
    assert config.server_header is False


def test_serve_bounds_request_heads_by_default(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SECRET_KEY", TEST_SECRET)
    configs: list[uvicorn.Config] = []
    monkeypatch.setattr(GracefulServer, "run", lambda server: configs.append(server.config))
    assert cli.main(["serve"]) == 0
    (config,) = configs
    assert isinstance(config, ServeConfig)
    assert config.head_limits == HeadLimits(max_bytes=16384, max_headers=100, timeout=20)
    assert config.timeout_keep_alive == 5
    assert config.http is LimitedHttpToolsProtocol


def test_serve_passes_the_request_head_bounds_to_the_protocol(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SECRET_KEY", TEST_SECRET)
    configs: list[uvicorn.Config] = []
    monkeypatch.setattr(GracefulServer, "run", lambda server: configs.append(server.config))
    arguments = ["--max-header-bytes", "8192", "--max-headers", "50", "--header-timeout", "2.5"]
    arguments += ["--keep-alive-timeout", "75", "--http", "h11"]
    assert cli.main(["serve", *arguments]) == 0
    (config,) = configs
    assert isinstance(config, ServeConfig)
    assert config.head_limits == HeadLimits(max_bytes=8192, max_headers=50, timeout=2.5)
    assert config.timeout_keep_alive == 75
    assert config.http is LimitedH11Protocol


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--max-header-bytes", "512"),
        ("--max-headers", "0"),
        ("--header-timeout", "301"),
        ("--keep-alive-timeout", "soon"),
    ],
)
def test_serve_refuses_a_bound_out_of_range(
    option: str, value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(["serve", option, value])
    assert exited.value.code == 2
    error = capsys.readouterr().err
    assert f"argument {option}:" in error
    assert value in error


def test_serve_with_reload_hands_over_to_uvicorns_reloader(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SECRET_KEY", TEST_SECRET)
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda _app, **kwargs: calls.append(kwargs))
    assert cli.main(["serve", "--reload"]) == 0
    assert calls[0]["reload"] is True
    assert calls[0]["factory"] is True
{%- if cookiecutter.auth_provider == "local" %}


def test_create_admin_command_reads_the_password_from_stdin(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SECRET_KEY", TEST_SECRET)
    received: dict[str, str] = {}

    async def fake_create(_settings: Settings, email: str, password: str) -> int:
        received.update(email=email, password=password)
        return 0

    monkeypatch.setattr("{{ cookiecutter.package_name }}.admin.create_admin_account", fake_create)
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert cli.main(["create-admin", "--email", "a@example.com", "--password-stdin"]) == 0
    assert received == {"email": "a@example.com", "password": PASSWORD}
{%- endif %}
{%- if cookiecutter.auth_provider == "local" %}


def test_create_admin_command_refuses_two_different_prompted_passwords(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SECRET_KEY", TEST_SECRET)
    answers = iter(["first passphrase", "second passphrase"])
    monkeypatch.setattr("getpass.getpass", lambda _prompt: next(answers))
    with pytest.raises(SystemExit) as exited:
        cli.main(["create-admin", "--email", "a@example.com"])
    assert exited.value.code == 1
{%- endif %}
