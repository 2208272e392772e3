"""Wiring for the users feature: builds the service from the request's database session."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from {{ cookiecutter.package_name }}.auth.repository import SqlSessionRepository
from {{ cookiecutter.package_name }}.bootstrap import SessionDep, StateDep
from {{ cookiecutter.package_name }}.core.db.uow import SqlAlchemyUnitOfWork
from {{ cookiecutter.package_name }}.users.repository import SqlUserRepository
from {{ cookiecutter.package_name }}.users.service import UserService


async def get_user_service(state: StateDep, session: SessionDep) -> UserService:
    return UserService(
        users=SqlUserRepository(session),
        sessions=SqlSessionRepository(session),
        uow=SqlAlchemyUnitOfWork(session),
        passwords=state.passwords,
    )


UserServiceDep = Annotated[UserService, Depends(get_user_service)]
