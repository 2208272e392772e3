{% if cookiecutter.auth_provider == "local" -%}
"""What authentication builds once at start-up, from its settings; `bootstrap.py` calls these."""

from __future__ import annotations

from datetime import timedelta

from {{ cookiecutter.package_name }}.auth.passwords import PasswordHashing
from {{ cookiecutter.package_name }}.auth.settings import AuthSettings
from {{ cookiecutter.package_name }}.auth.signing_keys import build_keyset
from {{ cookiecutter.package_name }}.auth.throttle import (
    AttemptStore,
    BackoffPolicy,
    InMemoryAttemptStore,
    LoginThrottle,
)
from {{ cookiecutter.package_name }}.auth.tokens import AccessTokenCodec


def build_password_hashing(settings: AuthSettings) -> PasswordHashing:
    return PasswordHashing(
        concurrency=settings.password_hash_concurrency,
        time_cost=settings.password_hash_time_cost,
        memory_cost_kib=settings.password_hash_memory_kib,
        parallelism=settings.password_hash_parallelism,
    )


def build_access_tokens(settings: AuthSettings) -> AccessTokenCodec:
    return AccessTokenCodec(
        keyset=build_keyset(
            settings.jwt_algorithm,
            [key.get_secret_value() for key in settings.jwt_keys],
            settings.secret_key.get_secret_value(),
        ),
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        ttl=timedelta(seconds=settings.access_token_ttl_seconds),
    )


def build_login_throttle(settings: AuthSettings) -> LoginThrottle:
    policy = BackoffPolicy(
        max_failures=settings.login_max_failures,
        window_seconds=settings.login_failure_window_seconds,
    )
    store: AttemptStore
    if settings.redis_url:
        # Imported only when configured: a single-worker service never loads the client.
        from {{ cookiecutter.package_name }}.auth.redis_throttle import RedisAttemptStore  # noqa: PLC0415

        store = RedisAttemptStore.from_url(settings.redis_url)
    else:
        store = InMemoryAttemptStore()
    return LoginThrottle(store, policy)
{% else -%}
"""What authentication builds once at start-up, from its settings; `bootstrap.py` calls these."""

from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from {{ cookiecutter.package_name }}.auth.jwks import JwksCache
from {{ cookiecutter.package_name }}.auth.provider_tokens import ProviderTokenVerifier
from {{ cookiecutter.package_name }}.auth.provisioning import SqlAccountDirectory
from {{ cookiecutter.package_name }}.auth.settings import AuthSettings
from {{ cookiecutter.package_name }}.core.db.engine import autocommit_engine


def build_jwks(settings: AuthSettings) -> JwksCache:
    timeout = httpx.Timeout(settings.oidc_http_timeout_seconds)
    return JwksCache(
        issuer=settings.oidc_issuer,
        # No redirects: the keys come from the URLs the provider names, nowhere else.
        http=httpx.AsyncClient(timeout=timeout, follow_redirects=False),
        refetch_cooldown_seconds=settings.oidc_jwks_refetch_cooldown_seconds,
        max_age_seconds=settings.oidc_jwks_max_age_seconds,
    )


def build_provider_tokens(settings: AuthSettings, jwks: JwksCache) -> ProviderTokenVerifier:
    return ProviderTokenVerifier(
        keys=jwks,
        issuer=settings.oidc_issuer,
        audience=settings.oidc_audience,
        algorithms=tuple(settings.oidc_algorithms),
        token_type=settings.oidc_token_type or None,
        roles_claim=settings.oidc_roles_claim,
    )


def build_account_directory(settings: AuthSettings, engine: AsyncEngine) -> SqlAccountDirectory:
    return SqlAccountDirectory(
        connect=autocommit_engine(engine).connect,
        engine=engine,
        admin_role=settings.oidc_admin_role,
        link_verified_email=settings.oidc_link_verified_email,
    )
{% endif -%}
