"""Queries for accounts, sessions and refresh tokens; the service's unit of work commits."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Protocol

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from {{ cookiecutter.package_name }}.auth.models import Account, AuthSession, RefreshToken, User
from {{ cookiecutter.package_name }}.core.db.engine import Connect

# Every authenticated request runs this: the account, provided the session the token names is
# still open and the account is active. Plain columns, in `Account`'s field order, so a row
# becomes an `Account` without the ORM. Built once, because building a statement costs more
# than running one whose compiled form SQLAlchemy has cached.
_ACTIVE_ACCOUNT = (
    select(User.id, User.email, User.full_name, User.is_active, User.is_admin, User.created_at)
    .join(AuthSession, AuthSession.user_id == User.id)
    .where(
        User.id == bindparam("user_id"),
        User.is_active,
        AuthSession.id == bindparam("session_id"),
        AuthSession.revoked_at.is_(None),
        AuthSession.expires_at > bindparam("now"),
    )
)


class ActiveAccountReader(Protocol):
    async def get(
        self, user_id: uuid.UUID, session_id: uuid.UUID, now: datetime
    ) -> Account | None: ...


class SqlActiveAccountReader:
    """The session check behind every token: one statement on a connection of its own."""

    def __init__(self, connect: Connect) -> None:
        self._connect = connect

    async def get(self, user_id: uuid.UUID, session_id: uuid.UUID, now: datetime) -> Account | None:
        parameters = {"user_id": user_id, "session_id": session_id, "now": now}
        async with self._connect() as connection:
            row = (await connection.execute(_ACTIVE_ACCOUNT, parameters)).one_or_none()
        return None if row is None else Account(*row)


class AccountRepository(Protocol):
    async def get(self, user_id: uuid.UUID) -> User | None: ...
    async def get_by_email(self, email: str) -> User | None: ...
    async def add(self, user: User) -> None: ...


class SqlAccountRepository:
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


class SessionRepository(Protocol):
    async def add_session(self, session: AuthSession) -> None: ...
    async def add_refresh_token(self, token: RefreshToken) -> None: ...
    async def get_refresh_token(self, token_hash: str) -> RefreshToken | None: ...
    async def get_session(self, session_id: uuid.UUID) -> AuthSession | None: ...
    async def revoke_session(self, session_id: uuid.UUID, now: datetime) -> None: ...
    async def revoke_all_for_user(self, user_id: uuid.UUID, now: datetime) -> None: ...


class SqlSessionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._db = session

    async def add_session(self, session: AuthSession) -> None:
        self._db.add(session)
        await self._db.flush()

    async def add_refresh_token(self, token: RefreshToken) -> None:
        self._db.add(token)
        await self._db.flush()

    async def get_refresh_token(self, token_hash: str) -> RefreshToken | None:
        statement = select(RefreshToken).where(RefreshToken.token_hash == token_hash)
        return (await self._db.execute(statement)).scalar_one_or_none()

    async def get_session(self, session_id: uuid.UUID) -> AuthSession | None:
        return await self._db.get(AuthSession, session_id)

    async def revoke_session(self, session_id: uuid.UUID, now: datetime) -> None:
        await self._db.execute(
            update(AuthSession)
            .where(AuthSession.id == session_id, AuthSession.revoked_at.is_(None))
            .values(revoked_at=now)
        )

    async def revoke_all_for_user(self, user_id: uuid.UUID, now: datetime) -> None:
        await self._db.execute(
            update(AuthSession)
            .where(AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None))
            .values(revoked_at=now)
        )
