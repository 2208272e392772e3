"""One settings object, read from the environment and `.env`, validated once at start-up."""

from __future__ import annotations

from typing import Literal, Self

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

Environment = Literal["development", "test", "production"]

# Values that appear in documentation or examples: a production deployment must never run
# with one of them, whatever its length.
KNOWN_PLACEHOLDER_SECRETS = frozenset(
    {
        "changeme",
        "change-me",
        "changethis",
        "secret",
        "replace-me-with-make-env",
    }
)
MIN_PRODUCTION_SECRET_BYTES = 32
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./{{ cookiecutter.package_name }}.db"


class DatabaseSettings(BaseSettings):
    """The part of the configuration migrations need: they must run without the app's secrets."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        frozen=True,
    )

    database_url: str = DEFAULT_DATABASE_URL
    database_echo: bool = False
    database_pool_size: int = Field(default=10, ge=1, le=100)
    # A fixed pool by default: an overflow connection is closed whenever it is returned to a
    # full pool, so under a burst each request would pay a new PostgreSQL connection (a
    # server process forked, a TLS attempt, authentication). Requests queue for one instead.
    database_max_overflow: int = Field(default=0, ge=0, le=100)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


class CoreSettings(DatabaseSettings):
    """What the service's shared machinery reads: environment, logging, HTTP edge, database.

    Features add their own fields in a subclass (`auth/settings.py`); `settings.py` joins them
    into the one `Settings` object. Every field maps to an upper-case environment variable.
    """

    environment: Environment = "development"
    debug: bool = False

    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # None means: JSON in production, readable console output everywhere else.
    log_format: Literal["json", "console"] | None = None
    # Traces (core/observability/tracing.py) are on when this is true or the process
    # environment sets OTEL_EXPORTER_OTLP_ENDPOINT; this also turns FastAPI's OpenTelemetry
    # metrics on. Off, no request pays anything for either.
    telemetry_enabled: bool = False
    # Exported spans leave out query strings and exception messages, which can carry
    # personal data, unless these ask for them (core/observability/span_redaction.py).
    telemetry_record_query_strings: bool = False
    telemetry_record_exception_messages: bool = False
    # Prometheus metrics (core/observability/metrics_server.py), served on their own port so
    # the API's port never answers them. Every process serves its own: set METRICS_PORT per
    # process when several share a host. 0 takes any free port (tests).
    metrics_enabled: bool = True
    metrics_host: str = "127.0.0.1"
    metrics_port: int = Field(default=9000, ge=0, le=65535)

    # The production database chosen when the service was generated: {{ cookiecutter.database }}.
    allow_sqlite_in_production: bool = {{ "True" if cookiecutter.database == "sqlite" else "False" }}
    # `/health/ready` answers within this many seconds whatever its dependencies do: keep it
    # below the readiness probe's own timeout, or the probe sees a timeout instead of a 503.
    readiness_timeout_seconds: float = Field(default=2.0, gt=0, le=30)

    # Shared state across workers ({% if cookiecutter.auth_provider == "local" %}the login-failure counters and {% endif %}the read cache). None keeps it
    # in-process, which is right for one worker; with several workers or replicas, point every
    # one at one Redis.
    redis_url: str | None = None
    # The read cache (core/cache.py): in Redis when REDIS_URL is set, else in this process's
    # memory. An entry lives this long at most; a change invalidates it at once on commit.
    cache_enabled: bool = True
    cache_ttl_seconds: int = Field(default=60, ge=1, le=86400)
    # Signs what the service issues (access tokens, unless JWT_KEYS is set); never a default.
    secret_key: SecretStr = Field(min_length=1)
    cors_origins: list[str] = Field(default_factory=list)
{%- if cookiecutter.auth_provider == "local" %}
    # Request body ceilings in bytes; auth endpoints take only small forms, so theirs is smaller.
    max_body_bytes: int = Field(default=1024 * 1024, ge=1024, le=64 * 1024 * 1024)
    max_auth_body_bytes: int = Field(default=16 * 1024, ge=1024, le=1024 * 1024)
{%- else %}
    # The request body ceiling in bytes.
    max_body_bytes: int = Field(default=1024 * 1024, ge=1024, le=64 * 1024 * 1024)
{%- endif %}
    docs_enabled: bool | None = None

    @property
    def resolved_log_format(self) -> Literal["json", "console"]:
        if self.log_format is not None:
            return self.log_format
        return "json" if self.environment == "production" else "console"

    @property
    def resolved_docs_enabled(self) -> bool:
        if self.docs_enabled is not None:
            return self.docs_enabled
        return self.environment != "production"

    @field_validator("log_level", mode="before")
    @classmethod
    def _log_level_in_any_case(cls, value: object) -> object:
        # uvicorn and most tools take `LOG_LEVEL=info`; the Literal then lists the accepted
        # names for anything else.
        return value.upper() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Self:
        if self.environment != "production":
            return self
        problems = production_problems(self)
        if problems:
            raise ValueError("; ".join(problems))
        return self


def production_problems(settings: CoreSettings) -> list[str]:
    """Why these settings must not serve production traffic; empty when they may."""
    problems: list[str] = []
    secret = settings.secret_key.get_secret_value()
    if secret.strip().lower() in KNOWN_PLACEHOLDER_SECRETS:
        problems.append("SECRET_KEY is a placeholder; generate one with `openssl rand -base64 48`")
    elif len(secret.encode()) < MIN_PRODUCTION_SECRET_BYTES:
        problems.append(
            f"SECRET_KEY is shorter than {MIN_PRODUCTION_SECRET_BYTES} bytes; "
            "generate one with `openssl rand -base64 48`"
        )
    if settings.debug:
        problems.append("DEBUG must be false in production")
    if settings.is_sqlite and not settings.allow_sqlite_in_production:
        problems.append(
            "DATABASE_URL points at SQLite; use {{ "MySQL or MariaDB" if cookiecutter.database == "mysql" else "PostgreSQL" }}, "
            "or set ALLOW_SQLITE_IN_PRODUCTION=true deliberately"
        )
    if "*" in settings.cors_origins:
        problems.append("CORS_ORIGINS must list explicit origins, not '*'")
    return problems
