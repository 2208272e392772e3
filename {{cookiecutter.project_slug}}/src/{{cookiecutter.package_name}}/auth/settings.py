"""The authentication feature's configuration: tokens, sessions, password hashing, throttling."""

from __future__ import annotations

from typing import Self

from pydantic import Field, SecretStr, model_validator

from {{ cookiecutter.package_name }}.auth.signing_keys import (
    Algorithm,
    KeyConfigurationError,
    build_keyset,
)
from {{ cookiecutter.package_name }}.core.config import CoreSettings


class AuthSettings(CoreSettings):
    """Fields only auth/ reads; every one maps to an upper-case environment variable."""

    # Failed logins per account and per client address before login waits (1 min, doubling to
    # 15 min); the count forgets a failure this many seconds after the first one.
    login_max_failures: int = Field(default=5, ge=1, le=1000)
    login_failure_window_seconds: int = Field(default=15 * 60, ge=60, le=24 * 3600)

    # EdDSA (Ed25519) unless this deployment chose HS256; never both.
    jwt_algorithm: Algorithm = "{{ cookiecutter.jwt_algorithm }}"
    # Newest first: base64url keys (32-byte Ed25519 seeds, or HS256 keys of 32+ bytes). Empty:
    # one key derived from SECRET_KEY. See auth/signing_keys.py for rotation.
    jwt_keys: list[SecretStr] = Field(default_factory=list)
    jwt_issuer: str = "{{ cookiecutter.project_slug }}"
    jwt_audience: str = "{{ cookiecutter.project_slug }}-api"
    access_token_ttl_seconds: int = Field(default=900, ge=60, le=3600)
    refresh_token_ttl_seconds: int = Field(default=7 * 24 * 3600, ge=3600)
    session_max_lifetime_seconds: int = Field(default=30 * 24 * 3600, ge=3600)

    # argon2id cost; the lower bounds are OWASP's floor, the defaults its stronger profile.
    password_hash_memory_kib: int = Field(default=64 * 1024, ge=19 * 1024)
    password_hash_time_cost: int = Field(default=3, ge=2)
    password_hash_parallelism: int = Field(default=4, ge=1)
    password_hash_concurrency: int = Field(default=2, ge=1, le=64)

    @model_validator(mode="after")
    def _check_signing_keys(self) -> Self:
        try:
            build_keyset(
                self.jwt_algorithm,
                [key.get_secret_value() for key in self.jwt_keys],
                self.secret_key.get_secret_value(),
            )
        except KeyConfigurationError as exc:
            msg = f"JWT_KEYS: {exc}"
            raise ValueError(msg) from None
        return self
