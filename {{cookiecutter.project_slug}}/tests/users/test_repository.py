"""The administration queries on a real database, inside a rolled-back transaction."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from {{ cookiecutter.package_name }}.auth.models import User
from {{ cookiecutter.package_name }}.users.repository import SqlUserRepository


async def _user(session: AsyncSession, email: str, *, is_admin: bool = False) -> User:
    user = User(email=email{% if cookiecutter.auth_provider == "local" %}, password_hash="x"{% endif %}, is_admin=is_admin)
    await SqlUserRepository(session).add(user)
    return user


async def test_count_active_admins(db_session: AsyncSession) -> None:
    await _user(db_session, "admin@example.com", is_admin=True)
    await _user(db_session, "user@example.com")
    assert await SqlUserRepository(db_session).count_active_admins() == 1
