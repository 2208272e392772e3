"""HTTP endpoints for authentication. Parse, call the service, return: no logic here."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response, status
from fastapi.security import OAuth2PasswordRequestForm

from {{ cookiecutter.package_name }}.auth.dependencies import AuthServiceDep, PrincipalDep, RegistrationServiceDep
from {{ cookiecutter.package_name }}.auth.schemas import RefreshRequest, TokenPair, UserCreate, UserRead
from {{ cookiecutter.package_name }}.core.http.problems import problem_responses

router = APIRouter(prefix="/auth", tags=["auth"])

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


@router.post(
    "/register", status_code=status.HTTP_201_CREATED, responses=problem_responses(409, 422)
)
async def register(body: UserCreate, service: RegistrationServiceDep) -> UserRead:
    """Create an account. Accounts are never created as administrators here."""
    return UserRead.model_validate(await service.register(body))


@router.post("/login", responses=problem_responses(401, 422, 429))
async def login(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    service: AuthServiceDep,
    request: Request,
    response: Response,
) -> TokenPair:
    """Exchange email (`username`) and password for an access and a refresh token.

    Repeated failures for one account or from one address answer 429 with `Retry-After`.
    """
    response.headers.update(NO_STORE)
    # The peer address; uvicorn replaces it from X-Forwarded-For only for trusted proxies.
    client_host = request.client.host if request.client else None
    return await service.login(form.username, form.password, client_host=client_host)


@router.post("/refresh", responses=problem_responses(401, 422))
async def refresh(body: RefreshRequest, service: AuthServiceDep, response: Response) -> TokenPair:
    """Rotate a refresh token: the one sent dies, a new pair is returned."""
    response.headers.update(NO_STORE)
    return await service.refresh(body.refresh_token)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT, responses=problem_responses(401))
async def logout(principal: PrincipalDep, service: AuthServiceDep) -> None:
    """End the caller's session: its refresh tokens and access tokens stop working at once."""
    await service.logout(principal)
