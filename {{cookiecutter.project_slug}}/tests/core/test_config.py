from __future__ import annotations

import pytest
from pydantic import ValidationError

from {{ cookiecutter.package_name }}.settings import Settings

STRONG = "a-production-secret-that-is-long-enough-0123456789"
POSTGRES = "postgresql+asyncpg://app@db:5432/app"


def settings(**values: object) -> Settings:
{%- if cookiecutter.auth_provider == "oidc" %}
    # A production service needs its provider; these tests are about the other settings.
    values = {"oidc_issuer": "https://issuer.example.com", "oidc_audience": "api", **values}
{%- endif %}
{%- if cookiecutter.include_background_jobs %}
    if values.get("environment") == "production":
        # Production also needs its jobs' broker (tests/jobs/test_settings.py holds that rule).
        values = {"broker_url": "amqp://rabbitmq:5672/", **values}
        # And its mail server (tests/email/test_settings.py).
        values = {"smtp_url": "smtp+starttls://mail:587", **values}
{%- endif %}
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


def test_development_defaults_to_console_logs_and_docs() -> None:
    config = settings(secret_key="dev")
    assert config.resolved_log_format == "console"
    assert config.resolved_docs_enabled is True
    assert config.is_sqlite


def test_production_defaults_to_json_logs_and_no_docs() -> None:
    config = settings(environment="production", secret_key=STRONG, database_url=POSTGRES)
    assert config.resolved_log_format == "json"
    assert config.resolved_docs_enabled is False


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"secret_key": "changethis"}, "placeholder"),
        ({"secret_key": "replace-me-with-make-env"}, "placeholder"),
        ({"secret_key": "short"}, "shorter than 32 bytes"),
        ({"debug": True}, "DEBUG must be false"),
        (
            {"database_url": "sqlite+aiosqlite:///./x.db", "allow_sqlite_in_production": False},
            "SQLite",
        ),
        ({"cors_origins": ["*"]}, "explicit origins"),
    ],
)
def test_production_refuses_unsafe_settings(values: dict[str, object], message: str) -> None:
    base: dict[str, object] = {
        "environment": "production",
        "secret_key": STRONG,
        "database_url": POSTGRES,
    }
    with pytest.raises(ValidationError, match=message):
        settings(**(base | values))


def test_production_accepts_sqlite_when_explicitly_allowed() -> None:
    config = settings(
        environment="production",
        secret_key=STRONG,
        database_url="sqlite+aiosqlite:///./x.db",
        allow_sqlite_in_production=True,
    )
    assert config.is_sqlite


def test_sqlite_in_production_follows_the_database_chosen_at_generation() -> None:
    # Generated with database={{ cookiecutter.database }}.
    assert settings(secret_key="x").allow_sqlite_in_production is {{ "True" if cookiecutter.database == "sqlite" else "False" }}


def test_the_secret_is_never_shown_in_repr() -> None:
    assert STRONG not in repr(settings(secret_key=STRONG))


def test_a_missing_secret_is_an_error() -> None:
    with pytest.raises(ValidationError, match="secret_key"):
        settings()


@pytest.mark.parametrize("written", ["info", "Info", "INFO"])
def test_log_level_is_read_in_any_case(monkeypatch: pytest.MonkeyPatch, written: str) -> None:
    # uvicorn and most tools take `info`; the service must not refuse to start over case.
    monkeypatch.setenv("LOG_LEVEL", written)

    assert settings(secret_key="x").log_level == "INFO"


def test_an_unknown_log_level_names_the_accepted_ones() -> None:
    with pytest.raises(ValidationError, match="log_level") as error:
        settings(secret_key="x", log_level="verbose")

    assert all(level in str(error.value) for level in ("DEBUG", "INFO", "WARNING", "ERROR"))
