{% if cookiecutter.auth_provider == "local" -%}
"""Wiring for the auth feature, and the `CurrentUser` / `AdminUser` dependencies."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

import structlog
from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer

from {{ cookiecutter.package_name }}.auth.models import Account
from {{ cookiecutter.package_name }}.auth.repository import (
    ActiveAccountReader,
    SqlAccountRepository,
    SqlActiveAccountReader,
    SqlSessionRepository,
)
from {{ cookiecutter.package_name }}.auth.service import (
    Authenticator,
    AuthService,
    Principal,
    RegistrationService,
    SessionPolicy,
)
from {{ cookiecutter.package_name }}.bootstrap import AppState, SessionDep, StateDep
from {{ cookiecutter.package_name }}.core.db.uow import SqlAlchemyUnitOfWork
from {{ cookiecutter.package_name }}.core.errors import PermissionDenied, Unauthorized

logger = structlog.get_logger(__name__)


async def get_auth_service(state: StateDep, session: SessionDep) -> AuthService:
    settings = state.settings
    return AuthService(
        users=SqlAccountRepository(session),
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


async def get_registration_service(state: StateDep, session: SessionDep) -> RegistrationService:
    return RegistrationService(
        users=SqlAccountRepository(session),
        uow=SqlAlchemyUnitOfWork(session),
        passwords=state.passwords,
    )


RegistrationServiceDep = Annotated[RegistrationService, Depends(get_registration_service)]


def _bearer_token(request: Request) -> str | None:
    # As FastAPI's OAuth2PasswordBearer reads it: "Bearer <token>", the scheme in any case.
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token if scheme.lower() == "bearer" and token else None


async def _authenticate(request: Request) -> Principal:
    token = _bearer_token(request)
    if not token:
        raise Unauthorized("Send an access token in the Authorization header: Bearer <token>.")
    state: AppState = request.app.state.app_state
    accounts: ActiveAccountReader = SqlActiveAccountReader(state.reads.connect)
    authenticator = Authenticator(access_tokens=state.access_tokens, accounts=accounts)
    return await authenticator.authenticate(token)


{%- if cookiecutter.include_graphql %}


async def authenticate(request: Request) -> Account:
    """The caller's account, for an entry point outside FastAPI's dependencies (GraphQL)."""
    return (await _authenticate(request)).user
{%- endif %}


class BearerAuthentication(OAuth2PasswordBearer):
    """The OAuth2 bearer scheme, authenticating the request it reads the token from.

    One dependency where a function depending on the scheme would be two: every level of
    FastAPI's dependency graph costs a solving pass, and this one runs on nearly every request.
    Being the security scheme itself, it still declares the bearer requirement in the OpenAPI
    document; every instance shares one scheme name there. Missing or invalid credentials get
    the service's own 401 problem, not FastAPI's.
    """

    def __init__(self, *, principal: bool) -> None:
        super().__init__(
            tokenUrl="/api/v1/auth/login",
            scheme_name="OAuth2PasswordBearer",
            auto_error=False,
        )
        self._principal = principal

    async def __call__(self, request: Request) -> Principal | Account:  # type: ignore[override]
        principal = await _authenticate(request)
        return principal if self._principal else principal.user


# The session and its account; CurrentUser: the account alone.
PrincipalDep = Annotated[Principal, Depends(BearerAuthentication(principal=True))]
CurrentUser = Annotated[Account, Depends(BearerAuthentication(principal=False))]


async def get_admin_user(user: CurrentUser) -> Account:
    if not user.is_admin:
        logger.warning("authorization_denied", user_id=str(user.id), required="admin")
        raise PermissionDenied("This operation needs an administrator account.")
    return user


AdminUser = Annotated[Account, Depends(get_admin_user)]
{% else -%}
"""Wiring for the auth feature: the `CurrentUser` / `AdminUser` dependencies.

The caller is whoever the OIDC provider's access token names: the token is verified against
the provider's keys (auth/provider_tokens.py) and its subject mapped to an account, created on
first sight (auth/provisioning.py). The account is read on every request, so disabling it
ends access at once.
"""

from __future__ import annotations

from typing import Annotated

import structlog
from fastapi import Depends, Request
from fastapi.security import HTTPBearer

from {{ cookiecutter.package_name }}.auth.models import Account
from {{ cookiecutter.package_name }}.auth.provider_tokens import InvalidTokenError
from {{ cookiecutter.package_name }}.bootstrap import AppState
from {{ cookiecutter.package_name }}.core.errors import PermissionDenied, Unauthorized

INVALID_ACCESS = "The access token is invalid or expired."

logger = structlog.get_logger(__name__)


def _bearer_token(request: Request) -> str | None:
    # "Bearer <token>", the scheme in any case (RFC 6750 §2.1).
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token if scheme.lower() == "bearer" and token else None


async def _authenticate(request: Request) -> Account:
    token = _bearer_token(request)
    if not token:
        raise Unauthorized("Send an access token in the Authorization header: Bearer <token>.")
    state: AppState = request.app.state.app_state
    try:
        claims = await state.provider_tokens.verify(token)
    except InvalidTokenError:
        raise Unauthorized(INVALID_ACCESS) from None
    account = await state.accounts.account_for(claims)
    if not account.is_active:
        raise Unauthorized(INVALID_ACCESS)
    return account


{%- if cookiecutter.include_graphql %}


async def authenticate(request: Request) -> Account:
    """The caller's account, for an entry point outside FastAPI's dependencies (GraphQL)."""
    return await _authenticate(request)
{%- endif %}


class BearerAuthentication(HTTPBearer):
    """The bearer scheme, authenticating the request it reads the token from.

    One dependency where a function depending on the scheme would be two: it runs on nearly
    every request. Being the security scheme itself, it declares the bearer requirement in
    the OpenAPI document. Missing or invalid credentials get the service's own 401 problem.
    """

    def __init__(self) -> None:
        super().__init__(
            bearerFormat="JWT",
            scheme_name="BearerAuth",
            description="An access token from the OIDC provider (OIDC_ISSUER).",
            auto_error=False,
        )

    async def __call__(self, request: Request) -> Account:  # type: ignore[override]
        return await _authenticate(request)


CurrentUser = Annotated[Account, Depends(BearerAuthentication())]


async def get_admin_user(user: CurrentUser) -> Account:
    if not user.is_admin:
        logger.warning("authorization_denied", user_id=str(user.id), required="admin")
        raise PermissionDenied("This operation needs an administrator account.")
    return user


AdminUser = Annotated[Account, Depends(get_admin_user)]
{% endif -%}
