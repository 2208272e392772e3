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
