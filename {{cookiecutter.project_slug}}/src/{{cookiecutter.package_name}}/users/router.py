"""HTTP endpoints for accounts. Parse, call the service, return: no logic here."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from {{ cookiecutter.package_name }}.auth.dependencies import AdminUser, CurrentUser
from {{ cookiecutter.package_name }}.auth.schemas import UserRead
from {{ cookiecutter.package_name }}.bootstrap import PagerDep
from {{ cookiecutter.package_name }}.core.http.one_pass_json import model_response, page_response
from {{ cookiecutter.package_name }}.core.http.problems import problem_responses
from {{ cookiecutter.package_name }}.core.pagination import Page, PageQuery
from {{ cookiecutter.package_name }}.users.dependencies import UserServiceDep
from {{ cookiecutter.package_name }}.users.schemas import AdminUserUpdate, UserUpdate

router = APIRouter(tags=["users"])


@router.get("/users/me", response_model=UserRead, responses=problem_responses(401))
async def read_me(user: CurrentUser) -> Response:
    # Rendered in one pass (core/http/one_pass_json.py): every client calls this one.
    return model_response(UserRead, user)


@router.patch("/users/me", responses=problem_responses(401, 403, 422))
async def update_me(body: UserUpdate, user: CurrentUser, service: UserServiceDep) -> UserRead:
{%- if cookiecutter.auth_provider == "local" %}
    """Update one's own profile. A password change needs `current_password`, ends all sessions."""
{%- else %}
    """Update one's own profile (the provider owns the credentials)."""
{%- endif %}
    return UserRead.model_validate(await service.update_profile(user, body))


@router.get(
    "/users", response_model=Page[UserRead], responses=problem_responses(400, 401, 403, 422)
)
async def list_users(
    query: Annotated[PageQuery, Query()],
    pager: PagerDep,
    _admin: AdminUser,
    service: UserServiceDep,
) -> Response:
    """All accounts, oldest first, a page at a time (administrators only)."""
    page = pager.start(query)
    return page_response(UserRead, await service.list_users(page), pager)


# `:uuid` keeps "/users/me" from matching these routes: DELETE /users/me is a 405, not a
# failed attempt to parse "me" as an id.
@router.get("/users/{user_id:uuid}", responses=problem_responses(401, 403, 404, 422))
async def read_user(user_id: uuid.UUID, _admin: AdminUser, service: UserServiceDep) -> UserRead:
    """One account (administrators only)."""
    return UserRead.model_validate(await service.get_user(user_id))


@router.patch("/users/{user_id:uuid}", responses=problem_responses(401, 403, 404, 409, 422))
async def administer_user(
    user_id: uuid.UUID, body: AdminUserUpdate, admin: AdminUser, service: UserServiceDep
) -> UserRead:
{%- if cookiecutter.auth_provider == "local" %}
    """Rename, disable or (de)promote an account. Disabling ends all its sessions."""
{%- else %}
    """Rename or disable an account; the provider's roles decide who is an administrator."""
{%- endif %}
    return UserRead.model_validate(await service.administer(admin, user_id, body))


@router.delete(
    "/users/{user_id:uuid}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def delete_user(user_id: uuid.UUID, admin: AdminUser, service: UserServiceDep) -> None:
    """Delete an account and everything it owns (administrators only)."""
    await service.delete_user(admin, user_id)
{%- if cookiecutter.auth_provider == "local" %}


@router.post(
    "/users/{user_id:uuid}/revoke-sessions",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 403, 404, 422),
)
async def revoke_user_sessions(
    user_id: uuid.UUID, admin: AdminUser, service: UserServiceDep
) -> None:
    """End every session of an account at once (administrators only)."""
    await service.revoke_sessions(admin, user_id)
{%- endif %}
