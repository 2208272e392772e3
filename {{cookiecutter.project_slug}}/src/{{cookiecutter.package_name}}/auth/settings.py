{% if cookiecutter.auth_provider == "local" -%}
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
{% else -%}
"""The authentication feature's configuration: the OIDC provider whose tokens are accepted."""

from __future__ import annotations

from typing import Self
from urllib.parse import urlsplit

from pydantic import Field, field_validator, model_validator

from {{ cookiecutter.package_name }}.core.config import CoreSettings

# Asymmetric algorithms only: the keys come from a public key set, so an HMAC algorithm would
# let anyone holding the public key sign tokens (alg confusion, RFC 8725 §2.1).
SUPPORTED_ALGORITHMS = frozenset(
    {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}
)
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


class AuthSettings(CoreSettings):
    """Fields only auth/ reads; every one maps to an upper-case environment variable."""

    # The provider's issuer URL exactly as its tokens' `iss` spells it; discovery is read from
    # {OIDC_ISSUER}/.well-known/openid-configuration. No provider is assumed: unset, every
    # token is refused, and production refuses to start.
    oidc_issuer: str = ""
    # The `aud` this service's tokens must carry (the API's client id or resource name).
    oidc_audience: str = ""
    oidc_algorithms: list[str] = Field(default_factory=lambda: ["RS256", "ES256", "EdDSA"])
    # The `typ` header every token must carry, e.g. `at+jwt` (RFC 9068); empty: not checked.
    oidc_token_type: str = ""
    # Where the roles are in the token: a claim name or a dotted path (realm_access.roles).
    oidc_roles_claim: str = Field(default="roles", min_length=1)
    # The role that makes an account an administrator of this service.
    oidc_admin_role: str = Field(default="admin", min_length=1)
    # Link a new subject to an existing account with the same, provider-verified email.
    oidc_link_verified_email: bool = False
    # An unknown `kid` refetches the key set at most once per this many seconds.
    oidc_jwks_refetch_cooldown_seconds: float = Field(default=60.0, ge=1, le=3600)
    # Keys are refetched when older than this, whatever the tokens name.
    oidc_jwks_max_age_seconds: float = Field(default=3600.0, ge=60, le=7 * 24 * 3600)
    oidc_http_timeout_seconds: float = Field(default=3.0, gt=0, le=30)

    @field_validator("oidc_algorithms")
    @classmethod
    def _asymmetric_only(cls, value: list[str]) -> list[str]:
        unknown = [name for name in value if name not in SUPPORTED_ALGORITHMS]
        if unknown or not value:
            msg = (
                f"OIDC_ALGORITHMS: {', '.join(unknown) or 'empty'} not accepted; list one or "
                f"more of {', '.join(sorted(SUPPORTED_ALGORITHMS))} (never none or HS*)"
            )
            raise ValueError(msg)
        return value

    @model_validator(mode="after")
    def _issuer_is_https(self) -> Self:
        if not self.oidc_issuer or not self.oidc_audience:
            if self.environment == "production":
                msg = "OIDC_ISSUER and OIDC_AUDIENCE must name the provider and this API"
                raise ValueError(msg)
            return self
        url = urlsplit(self.oidc_issuer)
        loopback = url.scheme == "http" and url.hostname in LOOPBACK_HOSTS
        if not url.hostname or (url.scheme != "https" and not loopback):
            msg = (
                "OIDC_ISSUER must be the provider's https:// issuer URL "
                "(http:// only for a provider on this machine)"
            )
            raise ValueError(msg)
        if loopback and self.environment == "production":
            msg = "OIDC_ISSUER points at this machine; production needs the provider's https URL"
            raise ValueError(msg)
        return self
{% endif -%}
