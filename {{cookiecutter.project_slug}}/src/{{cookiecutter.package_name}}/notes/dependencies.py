"""Wiring for the notes feature: builds the service from the request's database session."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from {{ cookiecutter.package_name }}.core.dependencies import SessionDep
from {{ cookiecutter.package_name }}.core.uow import SqlAlchemyUnitOfWork
from {{ cookiecutter.package_name }}.notes.repository import SqlNoteRepository
from {{ cookiecutter.package_name }}.notes.service import NoteService


def get_note_service(session: SessionDep) -> NoteService:
    return NoteService(notes=SqlNoteRepository(session), uow=SqlAlchemyUnitOfWork(session))


NoteServiceDep = Annotated[NoteService, Depends(get_note_service)]
