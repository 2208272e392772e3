from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from {{ cookiecutter.package_name }}.auth.models import AuthSession
from {{ cookiecutter.package_name }}.auth.repository import SqlActiveAccountReader, SqlSessionRepository
from {{ cookiecutter.package_name }}.core.db.engine import Connect
from {{ cookiecutter.package_name }}.core.db.base import utcnow
{%- if cookiecutter.include_example_resource %}
from {{ cookiecutter.package_name }}.core.pagination import PageRequest
from {{ cookiecutter.package_name }}.notes.models import Note
from {{ cookiecutter.package_name }}.notes.repository import SqlNoteReader, SqlNoteRepository
{%- endif %}
from {{ cookiecutter.package_name }}.auth.models import User
from {{ cookiecutter.package_name }}.users.repository import SqlUserRepository


async def _user(session: AsyncSession, email: str, *, is_admin: bool = False) -> User:
    user = User(email=email, password_hash="x", is_admin=is_admin)
    await SqlUserRepository(session).add(user)
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
    loaded = await SqlUserRepository(db_session).get(user.id)
    assert loaded is not None
    assert loaded.created_at.utcoffset() == timedelta(0)


async def test_count_active_admins(db_session: AsyncSession) -> None:
    await _user(db_session, "admin@example.com", is_admin=True)
    await _user(db_session, "user@example.com")
    assert await SqlUserRepository(db_session).count_active_admins() == 1

{%- if cookiecutter.include_example_resource %}


async def test_notes_are_scoped_to_their_owner(db_session: AsyncSession) -> None:
    owner = await _user(db_session, "owner@example.com")
    other = await _user(db_session, "other@example.com")
    notes = SqlNoteRepository(db_session)
    note = Note(owner_id=owner.id, title="mine")
    await notes.add(note)

    assert await notes.get_owned(other.id, note.id) is None
    assert await SqlNoteReader(within(db_session)).list_owned(other.id, PageRequest()) == []
    assert await notes.delete_owned(other.id, note.id) is False
    assert await notes.delete_owned(owner.id, note.id) is True
    assert await notes.get_owned(owner.id, note.id) is None


async def test_the_list_reads_plain_rows_newest_first(db_session: AsyncSession) -> None:
    owner = await _user(db_session, "lister@example.com")
    notes = SqlNoteRepository(db_session)
    now = utcnow()
    for age in (2, 0, 1):
        await notes.add(Note(owner_id=owner.id, title=f"{age}", created_at=now - timedelta(age)))

    page = await SqlNoteReader(within(db_session)).list_owned(owner.id, PageRequest(limit=2))

    # One row past the limit, for has_more; timestamps aware, as the entities' are.
    assert [row["title"] for row in page] == ["0", "1", "2"]
    assert set(page[0]) == {"id", "title", "body", "created_at", "updated_at"}
    assert page[0]["created_at"].utcoffset() == timedelta(0)
{%- endif %}


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
