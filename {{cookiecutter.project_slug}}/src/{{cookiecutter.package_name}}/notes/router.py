"""HTTP endpoints for notes. Parse, call the service, return: no logic here."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from {{ cookiecutter.package_name }}.auth.dependencies import CurrentUser
from {{ cookiecutter.package_name }}.core.dependencies import PageDep
from {{ cookiecutter.package_name }}.core.pagination import Page
from {{ cookiecutter.package_name }}.core.problems import problem_responses
from {{ cookiecutter.package_name }}.notes.dependencies import NoteServiceDep
from {{ cookiecutter.package_name }}.notes.schemas import NoteCreate, NoteRead, NoteUpdate

router = APIRouter(prefix="/notes", tags=["notes"])


@router.post("", status_code=status.HTTP_201_CREATED, responses=problem_responses(401, 422))
async def create_note(body: NoteCreate, user: CurrentUser, service: NoteServiceDep) -> NoteRead:
    return NoteRead.model_validate(await service.create(user.id, body))


@router.get("", responses=problem_responses(401, 422))
async def list_notes(page: PageDep, user: CurrentUser, service: NoteServiceDep) -> Page[NoteRead]:
    """The caller's notes, newest first."""
    return Page[NoteRead].convert(await service.list(user.id, page), NoteRead.model_validate)


@router.get("/{note_id}", responses=problem_responses(401, 404, 422))
async def read_note(note_id: uuid.UUID, user: CurrentUser, service: NoteServiceDep) -> NoteRead:
    return NoteRead.model_validate(await service.get(user.id, note_id))


@router.patch("/{note_id}", responses=problem_responses(401, 404, 422))
async def update_note(
    note_id: uuid.UUID, body: NoteUpdate, user: CurrentUser, service: NoteServiceDep
) -> NoteRead:
    return NoteRead.model_validate(await service.update(user.id, note_id, body))


@router.delete(
    "/{note_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 404, 422),
)
async def delete_note(note_id: uuid.UUID, user: CurrentUser, service: NoteServiceDep) -> None:
    await service.delete(user.id, note_id)
