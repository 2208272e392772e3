"""The composition root: what the app builds once at start-up and hands to every request.

`create_app`'s lifespan calls `build_state`; handlers reach the result through the typed
dependencies below. A feature that needs something built once (a client, a codec) adds a
field to `AppState` and one line to `build_state`, with the builder in its own folder
(as `auth/components.py` does). Nothing here runs at import time.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

{% if cookiecutter.auth_provider == "local" -%}
from {{ cookiecutter.package_name }}.auth.components import (
    build_access_tokens,
    build_login_throttle,
    build_password_hashing,
)
from {{ cookiecutter.package_name }}.auth.passwords import PasswordHashing
from {{ cookiecutter.package_name }}.auth.throttle import LoginThrottle
from {{ cookiecutter.package_name }}.auth.tokens import AccessTokenCodec
{%- else -%}
from {{ cookiecutter.package_name }}.auth.components import (
    build_account_directory,
    build_jwks,
    build_provider_tokens,
)
from {{ cookiecutter.package_name }}.auth.jwks import JwksCache
from {{ cookiecutter.package_name }}.auth.provider_tokens import ProviderTokenVerifier
from {{ cookiecutter.package_name }}.auth.provisioning import SqlAccountDirectory
{%- endif %}
from {{ cookiecutter.package_name }}.core.cache import ReadCache, build_read_cache
from {{ cookiecutter.package_name }}.core.db.engine import (
    autocommit_engine,
    create_engine,
    create_session_factory,
)
from {{ cookiecutter.package_name }}.core.http.cursors import CursorCodec
from {{ cookiecutter.package_name }}.core.http.paging import Pager
from {{ cookiecutter.package_name }}.core.http.shutdown import ShutdownState
{%- if cookiecutter.include_background_jobs %}
from {{ cookiecutter.package_name }}.jobs.broker_probe import BrokerProbe, build_broker_probe
{%- endif %}
from {{ cookiecutter.package_name }}.settings import Settings

# Every cache key starts with the service's name: one Redis can serve several services.
CACHE_PREFIX = "{{ cookiecutter.project_slug }}:cache:"


@dataclass(frozen=True, slots=True)
class AppState:
    settings: Settings
    engine: AsyncEngine
    # The same pool in autocommit: reads that need no transaction and no ORM (core/db/engine.py).
    reads: AsyncEngine
    session_factory: async_sessionmaker[AsyncSession]
{%- if cookiecutter.auth_provider == "local" %}
    passwords: PasswordHashing
    access_tokens: AccessTokenCodec
    login_throttle: LoginThrottle
{%- else %}
    # The OIDC provider's keys (readiness reports them), the verifier of its tokens, and the
    # accounts of its subjects.
    jwks: JwksCache
    provider_tokens: ProviderTokenVerifier
    accounts: SqlAccountDirectory
{%- endif %}
    cursors: CursorCodec
    # Cached reads (core/cache.py): Redis when REDIS_URL is set, else this process's memory.
    cache: ReadCache
{%- if cookiecutter.include_background_jobs %}
    # Readiness asks it whether the broker answers; None when jobs run in-process.
    broker_probe: BrokerProbe | None
{%- endif %}
    # Set once the process starts shutting down; readiness reports it (core/http/shutdown.py).
    shutdown: ShutdownState = field(default_factory=ShutdownState)


def build_state(settings: Settings) -> AppState:
    engine = create_engine(settings)
{%- if cookiecutter.auth_provider == "oidc" %}
    jwks = build_jwks(settings)
{%- endif %}
    return AppState(
        settings=settings,
        engine=engine,
        reads=autocommit_engine(engine),
        session_factory=create_session_factory(engine),
{%- if cookiecutter.auth_provider == "local" %}
        passwords=build_password_hashing(settings),
        access_tokens=build_access_tokens(settings),
        login_throttle=build_login_throttle(settings),
{%- else %}
        jwks=jwks,
        provider_tokens=build_provider_tokens(settings, jwks),
        accounts=build_account_directory(settings, engine),
{%- endif %}
        cursors=CursorCodec(settings.secret_key.get_secret_value()),
        cache=build_read_cache(
            enabled=settings.cache_enabled,
            redis_url=settings.redis_url,
            ttl_seconds=settings.cache_ttl_seconds,
            prefix=CACHE_PREFIX,
        ),
{%- if cookiecutter.include_background_jobs %}
        broker_probe=build_broker_probe(settings.broker_url, settings.job_queue),
{%- endif %}
    )


async def get_state(request: Request) -> AppState:
    state: AppState = request.app.state.app_state
    return state


StateDep = Annotated[AppState, Depends(get_state)]


async def get_settings(state: StateDep) -> Settings:
    return state.settings


async def get_session(state: StateDep) -> AsyncIterator[AsyncSession]:
    async with state.session_factory() as session:
        yield session


async def get_pager(request: Request, state: StateDep) -> Pager:
    return Pager(state.cursors, request.url.path, request.query_params)


SettingsDep = Annotated[Settings, Depends(get_settings)]
PagerDep = Annotated[Pager, Depends(get_pager)]
SessionDep = Annotated[AsyncSession, Depends(get_session)]
