"""Queries for notes. Every query is scoped to an owner: there is no unscoped read."""

from __future__ import annotations

import uuid
from typing import Protocol

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from {{ cookiecutter.package_name }}.core.pagination import PageRequest
from {{ cookiecutter.package_name }}.notes.models import Note


class NoteRepository(Protocol):
    async def add(self, note: Note) -> None: ...
    async def get_owned(self, owner_id: uuid.UUID, note_id: uuid.UUID) -> Note | None: ...
    async def list_owned(self, owner_id: uuid.UUID, page: PageRequest) -> list[Note]: ...
    async def delete_owned(self, owner_id: uuid.UUID, note_id: uuid.UUID) -> bool: ...


class SqlNoteRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, note: Note) -> None:
        self._session.add(note)
        await self._session.flush()

    async def get_owned(self, owner_id: uuid.UUID, note_id: uuid.UUID) -> Note | None:
        statement = select(Note).where(Note.id == note_id, Note.owner_id == owner_id)
        return (await self._session.execute(statement)).scalar_one_or_none()

    async def list_owned(self, owner_id: uuid.UUID, page: PageRequest) -> list[Note]:
        statement = (
            select(Note)
            .where(Note.owner_id == owner_id)
            .order_by(Note.created_at.desc(), Note.id.desc())
            .limit(page.limit + 1)
            .offset(page.offset)
        )
        return list((await self._session.execute(statement)).scalars())

    async def delete_owned(self, owner_id: uuid.UUID, note_id: uuid.UUID) -> bool:
        statement = delete(Note).where(Note.id == note_id, Note.owner_id == owner_id)
        result = await self._session.execute(statement)
        return bool(getattr(result, "rowcount", 0))
