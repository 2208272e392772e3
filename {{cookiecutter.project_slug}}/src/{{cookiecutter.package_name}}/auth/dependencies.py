"""Wiring for the auth feature, and the `CurrentUser` / `AdminUser` dependencies."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

import structlog
from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer

from {{ cookiecutter.package_name }}.auth.repository import (
    ActiveAccountReader,
    DriverActiveAccountReader,
    SqlActiveAccountReader,
    SqlSessionRepository,
)
from {{ cookiecutter.package_name }}.auth.service import (
    Authenticator,
    AuthService,
    Principal,
    SessionPolicy,
)
from {{ cookiecutter.package_name }}.core.dependencies import SessionDep, StateDep
from {{ cookiecutter.package_name }}.core.errors import PermissionDenied, Unauthorized
from {{ cookiecutter.package_name }}.core.state import AppState
from {{ cookiecutter.package_name }}.core.uow import SqlAlchemyUnitOfWork
from {{ cookiecutter.package_name }}.users.models import Account
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


BearerToken = Annotated[str | None, Depends(bearer_scheme)]


async def _authenticate(request: Request, token: str | None) -> Principal:
    if not token:
        raise Unauthorized("Send an access token in the Authorization header: Bearer <token>.")
    state: AppState = request.app.state.app_state
    accounts: ActiveAccountReader = (
        SqlActiveAccountReader(state.reads.connect)
        if state.driver_reads is None
        else DriverActiveAccountReader(state.driver_reads)
    )
    authenticator = Authenticator(access_tokens=state.access_tokens, accounts=accounts)
    return await authenticator.authenticate(token)


# One dependency each, taking the request itself: every level of FastAPI's dependency graph
# costs a solving pass per request, and these run on nearly every request. The bearer scheme
# stays a dependency so the OpenAPI document still declares the security requirement.
async def get_principal(request: Request, token: BearerToken) -> Principal:
    return await _authenticate(request, token)


async def get_current_user(request: Request, token: BearerToken) -> Account:
    return (await _authenticate(request, token)).user


PrincipalDep = Annotated[Principal, Depends(get_principal)]
CurrentUser = Annotated[Account, Depends(get_current_user)]


async def get_admin_user(user: CurrentUser) -> Account:
    if not user.is_admin:
        logger.warning("authorization_denied", user_id=str(user.id), required="admin")
        raise PermissionDenied("This operation needs an administrator account.")
    return user


AdminUser = Annotated[Account, Depends(get_admin_user)]
