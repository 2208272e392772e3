"""Typed dependency aliases shared by every router: one place, one name per dependency.

Every dependency that does no blocking I/O is `async def`: FastAPI runs a plain `def`
dependency in a worker thread, and that hop costs more than most requests' own work.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Query, Request
from sqlalchemy.ext.asyncio import AsyncSession

from {{ cookiecutter.package_name }}.core.config import Settings
from {{ cookiecutter.package_name }}.core.pagination import DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET, PageRequest
from {{ cookiecutter.package_name }}.core.state import AppState


async def get_state(request: Request) -> AppState:
    state: AppState = request.app.state.app_state
    return state


StateDep = Annotated[AppState, Depends(get_state)]


async def get_settings(state: StateDep) -> Settings:
    return state.settings


async def get_session(state: StateDep) -> AsyncIterator[AsyncSession]:
    async with state.session_factory() as session:
        yield session


SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[AsyncSession, Depends(get_session)]


async def page_request(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page")] = DEFAULT_LIMIT,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip")] = 0,
) -> PageRequest:
    return PageRequest(limit=limit, offset=offset)


PageDep = Annotated[PageRequest, Depends(page_request)]
