"""Queries for administering accounts, on top of the account queries auth/ owns."""

from __future__ import annotations

{% if cookiecutter.auth_provider == "oidc" or (cookiecutter.include_graphql and cookiecutter.include_example_resource) %}import uuid
{% endif %}{% if cookiecutter.include_graphql and cookiecutter.include_example_resource %}from collections.abc import Sequence
{% endif %}from typing import Protocol

from sqlalchemy import func, select
{%- if cookiecutter.auth_provider == "oidc" %}
from sqlalchemy.ext.asyncio import AsyncSession
{%- endif %}

from {{ cookiecutter.package_name }}.auth.models import User
{%- if cookiecutter.auth_provider == "local" %}
from {{ cookiecutter.package_name }}.auth.repository import AccountRepository, SqlAccountRepository
{%- endif %}
from {{ cookiecutter.package_name }}.core.db.keyset import keyset_page
from {{ cookiecutter.package_name }}.core.pagination import PageRequest

{%- if cookiecutter.auth_provider == "local" %}


class UserRepository(AccountRepository, Protocol):
{%- else %}


class UserRepository(Protocol):
    async def get(self, user_id: uuid.UUID) -> User | None: ...
    async def add(self, user: User) -> None: ...
{%- endif %}
    async def list(self, page: PageRequest) -> list[User]: ...
{%- if cookiecutter.include_graphql and cookiecutter.include_example_resource %}
    async def get_many(self, user_ids: Sequence[uuid.UUID]) -> Sequence[User]: ...
{%- endif %}
    async def count_active_admins(self) -> int: ...
    async def delete(self, user: User) -> None: ...

{%- if cookiecutter.auth_provider == "local" %}


class SqlUserRepository(SqlAccountRepository):
{%- else %}


class SqlUserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, user_id: uuid.UUID) -> User | None:
        return await self._session.get(User, user_id)

    async def add(self, user: User) -> None:
        self._session.add(user)
        await self._session.flush()
{% endif %}
    async def list(self, page: PageRequest) -> list[User]:
        # Oldest first; one row past the page tells the caller whether another page exists.
        statement = keyset_page(select(User), User.created_at, User.id, descending=False, page=page)
        return list((await self._session.execute(statement)).scalars())
{%- if cookiecutter.include_graphql and cookiecutter.include_example_resource %}

    async def get_many(self, user_ids: Sequence[uuid.UUID]) -> Sequence[User]:
        statement = select(User).where(User.id.in_(set(user_ids)))
        return (await self._session.execute(statement)).scalars().all()
{%- endif %}

    async def count_active_admins(self) -> int:
        statement = select(func.count()).select_from(User).where(User.is_admin, User.is_active)
        return int((await self._session.execute(statement)).scalar_one())

    async def delete(self, user: User) -> None:
        await self._session.delete(user)
        await self._session.flush()
