"""Queries for administering accounts, on top of the account queries auth/ owns."""

from __future__ import annotations

from typing import Protocol

from sqlalchemy import func, select

from {{ cookiecutter.package_name }}.auth.models import User
from {{ cookiecutter.package_name }}.auth.repository import AccountRepository, SqlAccountRepository
from {{ cookiecutter.package_name }}.core.db.keyset import keyset_page
from {{ cookiecutter.package_name }}.core.pagination import PageRequest


class UserRepository(AccountRepository, Protocol):
    async def list(self, page: PageRequest) -> list[User]: ...
    async def count_active_admins(self) -> int: ...
    async def delete(self, user: User) -> None: ...


class SqlUserRepository(SqlAccountRepository):
    async def list(self, page: PageRequest) -> list[User]:
        # Oldest first; one row past the page tells the caller whether another page exists.
        statement = keyset_page(select(User), User.created_at, User.id, descending=False, page=page)
        return list((await self._session.execute(statement)).scalars())

    async def count_active_admins(self) -> int:
        statement = select(func.count()).select_from(User).where(User.is_admin, User.is_active)
        return int((await self._session.execute(statement)).scalar_one())

    async def delete(self, user: User) -> None:
        await self._session.delete(user)
        await self._session.flush()
