"""Queries for user accounts. Adds and reads; the service's unit of work commits."""

from __future__ import annotations

import uuid
from typing import Protocol

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from {{ cookiecutter.package_name }}.core.pagination import PageRequest
from {{ cookiecutter.package_name }}.users.models import User


class UserRepository(Protocol):
    async def get(self, user_id: uuid.UUID) -> User | None: ...
    async def get_by_email(self, email: str) -> User | None: ...
    async def add(self, user: User) -> None: ...
    async def list(self, page: PageRequest) -> list[User]: ...
    async def count_active_admins(self) -> int: ...
    async def delete(self, user: User) -> None: ...


class SqlUserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, user_id: uuid.UUID) -> User | None:
        return await self._session.get(User, user_id)

    async def get_by_email(self, email: str) -> User | None:
        if "\x00" in email:
            # No stored address holds NUL (registration refuses it), and PostgreSQL fails the
            # whole query on one: the login form's unvalidated username must not become a 500.
            return None
        result = await self._session.execute(select(User).where(User.email == email))
        return result.scalar_one_or_none()

    async def add(self, user: User) -> None:
        self._session.add(user)
        await self._session.flush()

    async def list(self, page: PageRequest) -> list[User]:
        # One row past the page tells the caller whether another page exists.
        statement = (
            select(User)
            .order_by(User.created_at, User.id)
            .limit(page.limit + 1)
            .offset(page.offset)
        )
        return list((await self._session.execute(statement)).scalars())

    async def count_active_admins(self) -> int:
        statement = select(func.count()).select_from(User).where(User.is_admin, User.is_active)
        return int((await self._session.execute(statement)).scalar_one())

    async def delete(self, user: User) -> None:
        await self._session.delete(user)
        await self._session.flush()
