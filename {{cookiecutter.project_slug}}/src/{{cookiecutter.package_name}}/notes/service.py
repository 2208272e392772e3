"""Note use cases. Ownership is part of every query: another user's note is simply not found."""

from __future__ import annotations

import uuid

from {{ cookiecutter.package_name }}.core.errors import NotFound
from {{ cookiecutter.package_name }}.core.pagination import PageRequest, PageResult
from {{ cookiecutter.package_name }}.core.uow import UnitOfWork
from {{ cookiecutter.package_name }}.notes.models import Note
from {{ cookiecutter.package_name }}.notes.repository import NoteRepository
from {{ cookiecutter.package_name }}.notes.schemas import NoteCreate, NoteUpdate

NOTE_NOT_FOUND = "No note with this id exists for your account."


class NoteService:
    def __init__(self, *, notes: NoteRepository, uow: UnitOfWork) -> None:
        self._notes = notes
        self._uow = uow

    async def create(self, owner_id: uuid.UUID, data: NoteCreate) -> Note:
        async with self._uow:
            note = Note(owner_id=owner_id, title=data.title, body=data.body)
            await self._notes.add(note)
            await self._uow.commit()
        return note

    async def get(self, owner_id: uuid.UUID, note_id: uuid.UUID) -> Note:
        async with self._uow:
            note = await self._notes.get_owned(owner_id, note_id)
        if note is None:
            raise NotFound(NOTE_NOT_FOUND)
        return note

    async def list(self, owner_id: uuid.UUID, page: PageRequest) -> PageResult[Note]:
        async with self._uow:
            rows = await self._notes.list_owned(owner_id, page)
        return PageResult.from_rows(rows, page)

    async def update(self, owner_id: uuid.UUID, note_id: uuid.UUID, data: NoteUpdate) -> Note:
        async with self._uow:
            note = await self._notes.get_owned(owner_id, note_id)
            if note is None:
                raise NotFound(NOTE_NOT_FOUND)
            if data.title is not None:
                note.title = data.title
            if data.body is not None:
                note.body = data.body
            await self._notes.add(note)
            await self._uow.commit()
        return note

    async def delete(self, owner_id: uuid.UUID, note_id: uuid.UUID) -> None:
        async with self._uow:
            if not await self._notes.delete_owned(owner_id, note_id):
                raise NotFound(NOTE_NOT_FOUND)
            await self._uow.commit()
