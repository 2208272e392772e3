"""In-memory stand-ins for the repositories and the unit of work (no database).

They satisfy the same Protocols as the SQL implementations, so mypy proves they fit.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from types import TracebackType
from typing import Self

from {{ cookiecutter.package_name }}.auth.models import AuthSession, RefreshToken
from {{ cookiecutter.package_name }}.core.db.base import utcnow
from {{ cookiecutter.package_name }}.core.pagination import PageRequest{% if cookiecutter.include_example_resource %}, PageResult{% endif %}
{%- if cookiecutter.include_example_resource %}
from {{ cookiecutter.package_name }}.notes.models import Note, NoteView
{%- endif %}
from {{ cookiecutter.package_name }}.auth.models import Account, User


class FakeUnitOfWork:
    def __init__(self) -> None:
        self.commits = 0
        self.rollbacks = 0
        self.reads = 0
        self._committed = False

    async def __aenter__(self) -> Self:
        self._committed = False
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if not self._committed:
            self.rollbacks += 1

    async def commit(self) -> None:
        self.commits += 1
        self._committed = True

    @asynccontextmanager
    async def read_only(self) -> AsyncIterator[None]:
        self.reads += 1
        yield


class FakeUserRepository:
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

    async def list(self, page: PageRequest) -> list[User]:
        ordered = sorted(self.rows.values(), key=lambda user: (user.created_at, user.id))
        return ordered[page.offset : page.offset + page.limit + 1]

    async def count_active_admins(self) -> int:
        return sum(1 for user in self.rows.values() if user.is_admin and user.is_active)

    async def delete(self, user: User) -> None:
        del self.rows[user.id]


class FakeSessionRepository:
    def __init__(self, users: FakeUserRepository) -> None:
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

{%- if cookiecutter.include_example_resource %}


class FakeNoteRepository:
    def __init__(self) -> None:
        self.rows: dict[uuid.UUID, Note] = {}

    async def add(self, note: Note) -> None:
        if note.id is None:
            note.id = uuid.uuid4()
            note.created_at = utcnow()
        note.updated_at = utcnow()
        self.rows[note.id] = note

    async def get_owned(self, owner_id: uuid.UUID, note_id: uuid.UUID) -> Note | None:
        note = self.rows.get(note_id)
        return note if note is not None and note.owner_id == owner_id else None

    async def delete_owned(self, owner_id: uuid.UUID, note_id: uuid.UUID) -> bool:
        if await self.get_owned(owner_id, note_id) is None:
            return False
        del self.rows[note_id]
        return True


class FakeNoteReader:
    """The list's reader, over a fake repository's rows."""

    def __init__(self, notes: FakeNoteRepository) -> None:
        self.notes = notes

    async def list_owned(self, owner_id: uuid.UUID, page: PageRequest) -> list[NoteView]:
        owned = [note for note in self.notes.rows.values() if note.owner_id == owner_id]
        owned.sort(key=lambda note: (note.created_at, note.id), reverse=True)
        return [
            {
                "id": note.id,
                "title": note.title,
                "body": note.body,
                "created_at": note.created_at,
                "updated_at": note.updated_at,
            }
            for note in owned[page.offset : page.offset + page.limit + 1]
        ]

    async def page(self, owner_id: uuid.UUID, page: PageRequest) -> PageResult[NoteView]:
        return PageResult.from_rows(await self.list_owned(owner_id, page), page)
{%- endif %}
