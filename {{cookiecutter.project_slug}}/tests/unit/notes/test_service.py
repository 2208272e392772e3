from __future__ import annotations

import uuid

import pytest

from {{ cookiecutter.package_name }}.core.errors import NotFound
from {{ cookiecutter.package_name }}.core.pagination import PageRequest
from {{ cookiecutter.package_name }}.notes.schemas import NoteCreate, NoteUpdate
from {{ cookiecutter.package_name }}.notes.service import NoteService
from tests.unit.fakes import FakeNoteRepository, FakeUnitOfWork

OWNER = uuid.uuid4()
STRANGER = uuid.uuid4()


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


@pytest.fixture
def service(uow: FakeUnitOfWork) -> NoteService:
    return NoteService(notes=FakeNoteRepository(), uow=uow)


async def test_create_commits_once(service: NoteService, uow: FakeUnitOfWork) -> None:
    note = await service.create(OWNER, NoteCreate(title="t", body="b"))
    assert note.owner_id == OWNER
    assert uow.commits == 1


async def test_update_changes_only_given_fields(service: NoteService) -> None:
    note = await service.create(OWNER, NoteCreate(title="t", body="b"))
    updated = await service.update(OWNER, note.id, NoteUpdate(body="new"))
    assert (updated.title, updated.body) == ("t", "new")


async def test_a_strangers_update_is_not_found_and_nothing_commits(
    service: NoteService, uow: FakeUnitOfWork
) -> None:
    note = await service.create(OWNER, NoteCreate(title="t"))
    with pytest.raises(NotFound):
        await service.update(STRANGER, note.id, NoteUpdate(title="x"))
    assert uow.commits == 1
    assert uow.rollbacks == 1


async def test_a_strangers_read_and_delete_are_not_found(service: NoteService) -> None:
    note = await service.create(OWNER, NoteCreate(title="t"))
    with pytest.raises(NotFound):
        await service.get(STRANGER, note.id)
    with pytest.raises(NotFound):
        await service.delete(STRANGER, note.id)
    assert (await service.get(OWNER, note.id)).title == "t"


async def test_delete_removes_the_note(service: NoteService) -> None:
    note = await service.create(OWNER, NoteCreate(title="t"))
    await service.delete(OWNER, note.id)
    with pytest.raises(NotFound):
        await service.get(OWNER, note.id)


async def test_list_reports_whether_more_pages_exist(service: NoteService) -> None:
    for index in range(3):
        await service.create(OWNER, NoteCreate(title=str(index)))
    await service.create(STRANGER, NoteCreate(title="not mine"))
    first = await service.list(OWNER, PageRequest(limit=2, offset=0))
    last = await service.list(OWNER, PageRequest(limit=2, offset=2))
    assert len(first.items) == 2
    assert first.has_more is True
    assert len(last.items) == 1
    assert last.has_more is False
