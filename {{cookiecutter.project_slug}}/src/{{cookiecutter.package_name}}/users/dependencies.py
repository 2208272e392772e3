"""Wiring for the users feature: builds the service from the request's database session."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

{% if cookiecutter.auth_provider == "local" %}from {{ cookiecutter.package_name }}.auth.repository import SqlSessionRepository
{% endif %}from {{ cookiecutter.package_name }}.bootstrap import SessionDep{% if cookiecutter.auth_provider == "local" %}, StateDep{% endif %}
from {{ cookiecutter.package_name }}.core.db.uow import SqlAlchemyUnitOfWork
from {{ cookiecutter.package_name }}.users.repository import SqlUserRepository
from {{ cookiecutter.package_name }}.users.service import UserService

{%- if cookiecutter.auth_provider == "local" %}


async def get_user_service(state: StateDep, session: SessionDep) -> UserService:
    return UserService(
        users=SqlUserRepository(session),
        sessions=SqlSessionRepository(session),
        uow=SqlAlchemyUnitOfWork(session),
        passwords=state.passwords,
    )
{%- else %}


async def get_user_service(session: SessionDep) -> UserService:
    return UserService(users=SqlUserRepository(session), uow=SqlAlchemyUnitOfWork(session))
{%- endif %}


UserServiceDep = Annotated[UserService, Depends(get_user_service)]
