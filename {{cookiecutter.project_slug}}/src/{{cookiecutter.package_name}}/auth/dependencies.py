"""Wiring for the auth feature, and the `CurrentUser` / `AdminUser` dependencies."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

import structlog
from fastapi import Depends
from fastapi.security import OAuth2PasswordBearer

from {{ cookiecutter.package_name }}.auth.repository import SqlSessionRepository
from {{ cookiecutter.package_name }}.auth.service import AuthService, Principal, SessionPolicy
from {{ cookiecutter.package_name }}.core.dependencies import SessionDep, StateDep
from {{ cookiecutter.package_name }}.core.errors import PermissionDenied, Unauthorized
from {{ cookiecutter.package_name }}.core.uow import SqlAlchemyUnitOfWork
from {{ cookiecutter.package_name }}.users.models import User
from {{ cookiecutter.package_name }}.users.repository import SqlUserRepository

logger = structlog.get_logger(__name__)

# auto_error=False: a missing header is answered by our own 401 problem, not FastAPI's.
bearer_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/login", auto_error=False)


async def get_auth_service(state: StateDep, session: SessionDep) -> AuthService:
    settings = state.settings
    return AuthService(
        users=SqlUserRepository(session),
        sessions=SqlSessionRepository(session),
        uow=SqlAlchemyUnitOfWork(session),
        passwords=state.passwords,
        access_tokens=state.access_tokens,
        policy=SessionPolicy(
            refresh_ttl=timedelta(seconds=settings.refresh_token_ttl_seconds),
            max_lifetime=timedelta(seconds=settings.session_max_lifetime_seconds),
        ),
        throttle=state.login_throttle,
    )


AuthServiceDep = Annotated[AuthService, Depends(get_auth_service)]


async def get_principal(
    service: AuthServiceDep, token: Annotated[str | None, Depends(bearer_scheme)]
) -> Principal:
    if not token:
        raise Unauthorized("Send an access token in the Authorization header: Bearer <token>.")
    return await service.authenticate(token)


PrincipalDep = Annotated[Principal, Depends(get_principal)]


async def get_current_user(principal: PrincipalDep) -> User:
    return principal.user


CurrentUser = Annotated[User, Depends(get_current_user)]


async def get_admin_user(user: CurrentUser) -> User:
    if not user.is_admin:
        logger.warning("authorization_denied", user_id=str(user.id), required="admin")
        raise PermissionDenied("This operation needs an administrator account.")
    return user


AdminUser = Annotated[User, Depends(get_admin_user)]
