"""The account and session queries on a real database, inside a rolled-back transaction."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from {{ cookiecutter.package_name }}.auth.models import AuthSession, User
from {{ cookiecutter.package_name }}.auth.repository import (
    SqlAccountRepository,
    SqlActiveAccountReader,
    SqlSessionRepository,
)
from {{ cookiecutter.package_name }}.core.db.base import utcnow
from {{ cookiecutter.package_name }}.core.db.engine import Connect


async def _user(session: AsyncSession, email: str) -> User:
    user = User(email=email, password_hash="x")
    await SqlAccountRepository(session).add(user)
    return user


def within(session: AsyncSession) -> Connect:
    """Readers' connections from the test's session, so they see its uncommitted rows."""

    @asynccontextmanager
    async def connect() -> AsyncIterator[AsyncConnection]:
        yield await session.connection()

    return connect


async def test_timestamps_come_back_timezone_aware(db_session: AsyncSession) -> None:
    user = await _user(db_session, "tz@example.com")
    db_session.expunge_all()
    loaded = await SqlAccountRepository(db_session).get(user.id)
    assert loaded is not None
    assert loaded.created_at.utcoffset() == timedelta(0)


async def test_active_account_lookup_needs_an_open_session(db_session: AsyncSession) -> None:
    user = await _user(db_session, "session@example.com")
    sessions = SqlSessionRepository(db_session)
    accounts = SqlActiveAccountReader(within(db_session))
    auth_session = AuthSession(user_id=user.id, expires_at=utcnow() + timedelta(hours=1))
    await sessions.add_session(auth_session)

    account = await accounts.get(user.id, auth_session.id, utcnow())
    assert account is not None
    assert (account.id, account.email, account.is_admin) == (user.id, user.email, False)
    assert await accounts.get(user.id, uuid.uuid4(), utcnow()) is None
    later = utcnow() + timedelta(hours=2)
    assert await accounts.get(user.id, auth_session.id, later) is None

    await sessions.revoke_all_for_user(user.id, utcnow())
    assert await accounts.get(user.id, auth_session.id, utcnow()) is None


async def test_a_disabled_account_is_not_active(db_session: AsyncSession) -> None:
    user = await _user(db_session, "disabled@example.com")
    auth_session = AuthSession(user_id=user.id, expires_at=utcnow() + timedelta(hours=1))
    await SqlSessionRepository(db_session).add_session(auth_session)
    user.is_active = False
    await db_session.flush()

    accounts = SqlActiveAccountReader(within(db_session))
    assert await accounts.get(user.id, auth_session.id, utcnow()) is None
