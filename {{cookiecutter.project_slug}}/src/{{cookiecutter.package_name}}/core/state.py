"""What the app builds once at start-up and shares with every request."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from {{ cookiecutter.package_name }}.core.config import Settings
from {{ cookiecutter.package_name }}.core.db import (
    DriverReads,
    autocommit_engine,
    create_engine,
    create_session_factory,
)
from {{ cookiecutter.package_name }}.core.passwords import PasswordHashing
from {{ cookiecutter.package_name }}.core.shutdown import ShutdownState
from {{ cookiecutter.package_name }}.core.signing_keys import build_keyset
from {{ cookiecutter.package_name }}.core.throttle import (
    AttemptStore,
    BackoffPolicy,
    InMemoryAttemptStore,
    LoginThrottle,
)
from {{ cookiecutter.package_name }}.core.tokens import AccessTokenCodec


@dataclass(frozen=True, slots=True)
class AppState:
    settings: Settings
    engine: AsyncEngine
    # The same pool in autocommit: reads that need no transaction and no ORM (core/db.py).
    reads: AsyncEngine
    # On PostgreSQL, the hottest reads straight through asyncpg on the same pool (core/db.py).
    driver_reads: DriverReads | None
    session_factory: async_sessionmaker[AsyncSession]
    passwords: PasswordHashing
    access_tokens: AccessTokenCodec
    login_throttle: LoginThrottle
    # Set once the process starts shutting down; readiness reports it (see core/shutdown.py).
    shutdown: ShutdownState = field(default_factory=ShutdownState)


def build_state(settings: Settings) -> AppState:
    engine = create_engine(settings)
    return AppState(
        settings=settings,
        engine=engine,
        reads=autocommit_engine(engine),
        driver_reads=None if settings.is_sqlite else DriverReads(engine),
        session_factory=create_session_factory(engine),
        passwords=build_password_hashing(settings),
        access_tokens=AccessTokenCodec(
            keyset=build_keyset(
                settings.jwt_algorithm,
                [key.get_secret_value() for key in settings.jwt_keys],
                settings.secret_key.get_secret_value(),
            ),
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            ttl=timedelta(seconds=settings.access_token_ttl_seconds),
        ),
        login_throttle=build_login_throttle(settings),
    )


def build_password_hashing(settings: Settings) -> PasswordHashing:
    return PasswordHashing(
        concurrency=settings.password_hash_concurrency,
        time_cost=settings.password_hash_time_cost,
        memory_cost_kib=settings.password_hash_memory_kib,
        parallelism=settings.password_hash_parallelism,
    )


def build_login_throttle(settings: Settings) -> LoginThrottle:
    policy = BackoffPolicy(
        max_failures=settings.login_max_failures,
        window_seconds=settings.login_failure_window_seconds,
    )
    store: AttemptStore
    if settings.redis_url:
        # Imported only when configured: a single-worker service never loads the client.
        from {{ cookiecutter.package_name }}.core.redis_throttle import RedisAttemptStore  # noqa: PLC0415

        store = RedisAttemptStore.from_url(settings.redis_url)
    else:
        store = InMemoryAttemptStore()
    return LoginThrottle(store, policy)
