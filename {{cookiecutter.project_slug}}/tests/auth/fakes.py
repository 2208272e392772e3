"""In-memory stand-ins for the auth feature's repositories (no database).

They satisfy the same Protocols as the SQL implementations, so mypy proves they fit.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from {{ cookiecutter.package_name }}.auth.models import Account, AuthSession, RefreshToken, User
from {{ cookiecutter.package_name }}.core.db.base import utcnow


class FakeAccountRepository:
    def __init__(self) -> None:
        self.rows: dict[uuid.UUID, User] = {}

    async def get(self, user_id: uuid.UUID) -> User | None:
        return self.rows.get(user_id)

    async def get_by_email(self, email: str) -> User | None:
        return next((user for user in self.rows.values() if user.email == email), None)

    async def add(self, user: User) -> None:
        # The ORM fills column defaults at flush; the fake does it on add.
        if user.id is None:
            user.id = uuid.uuid4()
            user.created_at = utcnow()
        if user.is_active is None:
            user.is_active = True
        if user.is_admin is None:
            user.is_admin = False
        self.rows[user.id] = user


class FakeSessionRepository:
    def __init__(self, users: FakeAccountRepository) -> None:
        self.users = users
        self.sessions: dict[uuid.UUID, AuthSession] = {}
        self.tokens: dict[str, RefreshToken] = {}

    async def add_session(self, session: AuthSession) -> None:
        if session.id is None:
            session.id = uuid.uuid4()
        self.sessions[session.id] = session

    async def add_refresh_token(self, token: RefreshToken) -> None:
        self.tokens[token.token_hash] = token

    async def get_refresh_token(self, token_hash: str) -> RefreshToken | None:
        return self.tokens.get(token_hash)

    async def get_session(self, session_id: uuid.UUID) -> AuthSession | None:
        return self.sessions.get(session_id)

    async def revoke_session(self, session_id: uuid.UUID, now: datetime) -> None:
        session = self.sessions.get(session_id)
        if session is not None and session.revoked_at is None:
            session.revoked_at = now

    async def revoke_all_for_user(self, user_id: uuid.UUID, now: datetime) -> None:
        for session in self.sessions.values():
            if session.user_id == user_id and session.revoked_at is None:
                session.revoked_at = now


class FakeActiveAccountReader:
    """The session check, over the fake repositories' rows."""

    def __init__(self, sessions: FakeSessionRepository) -> None:
        self.sessions = sessions

    async def get(self, user_id: uuid.UUID, session_id: uuid.UUID, now: datetime) -> Account | None:
        session = self.sessions.sessions.get(session_id)
        user = self.sessions.users.rows.get(user_id)
        if (
            session is None
            or user is None
            or session.user_id != user_id
            or session.revoked_at is not None
            or session.expires_at <= now
            or not user.is_active
        ):
            return None
        return Account.of(user)
