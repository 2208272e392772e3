"""Account use cases after registration: self-service profile updates, administration."""

from __future__ import annotations

import uuid
{%- if cookiecutter.include_graphql and cookiecutter.include_example_resource %}
from collections.abc import Sequence
{%- endif %}
{%- if cookiecutter.auth_provider == "local" %}
from datetime import datetime
from typing import Protocol
{%- endif %}

import structlog

from {{ cookiecutter.package_name }}.auth.models import Account, User
{%- if cookiecutter.auth_provider == "local" %}
from {{ cookiecutter.package_name }}.auth.passwords import PasswordHashing
{%- endif %}
{%- if cookiecutter.auth_provider == "local" %}
from {{ cookiecutter.package_name }}.core.db.base import utcnow
{%- endif %}
from {{ cookiecutter.package_name }}.core.db.uow import UnitOfWork
from {{ cookiecutter.package_name }}.core.errors import Conflict, NotFound{% if cookiecutter.auth_provider == "local" %}, PermissionDenied{% endif %}
from {{ cookiecutter.package_name }}.core.pagination import PageRequest, PageResult
from {{ cookiecutter.package_name }}.users.repository import UserRepository
from {{ cookiecutter.package_name }}.users.schemas import AdminUserUpdate, UserUpdate

USER_NOT_FOUND = "No account with this id exists."
ACCOUNT_GONE = "The account no longer exists."
LAST_ADMIN = (
    "This is the last active administrator: promote another account to administrator first."
)

logger = structlog.get_logger(__name__)

{%- if cookiecutter.auth_provider == "local" %}


class SessionRevoker(Protocol):
    """Ends every session of a user; implemented by the auth feature's repository."""

    async def revoke_all_for_user(self, user_id: uuid.UUID, now: datetime) -> None: ...
{%- endif %}


class UserService:
{%- if cookiecutter.auth_provider == "oidc" %}
    def __init__(self, *, users: UserRepository, uow: UnitOfWork) -> None:
        self._users = users
        self._uow = uow

    async def update_profile(self, account: Account, data: UserUpdate) -> User:
        async with self._uow:
            current = await self._users.get(account.id)
            if current is None:
                raise NotFound(ACCOUNT_GONE)
            if data.full_name is not None:
                current.full_name = data.full_name
            await self._users.add(current)
            await self._uow.commit()
        return current
{%- else %}
    def __init__(
        self,
        *,
        users: UserRepository,
        sessions: SessionRevoker,
        uow: UnitOfWork,
        passwords: PasswordHashing,
    ) -> None:
        self._users = users
        self._sessions = sessions
        self._uow = uow
        self._passwords = passwords

    async def update_profile(self, account: Account, data: UserUpdate) -> User:
        new_hash = None
        if data.password is not None:
            # The stored hash is read here, not carried by every request's `Account`.
            async with self._uow.read_only():
                stored = await self._users.get(account.id)
            if stored is None:
                raise NotFound(ACCOUNT_GONE)
            if data.current_password is None or not await self._passwords.verify(
                stored.password_hash, data.current_password
            ):
                raise PermissionDenied("To change the password, send the correct current_password.")
            new_hash = await self._passwords.hash(data.password)

        async with self._uow:
            current = await self._users.get(account.id)
            if current is None:
                raise NotFound(ACCOUNT_GONE)
            if data.full_name is not None:
                current.full_name = data.full_name
            if new_hash is not None:
                current.password_hash = new_hash
                # A new password ends every session, including ones an attacker may hold.
                await self._sessions.revoke_all_for_user(current.id, utcnow())
            await self._users.add(current)
            await self._uow.commit()
        if new_hash is not None:
            logger.info("password_changed", user_id=str(current.id))
        return current
{%- endif %}

    async def list_users(self, page: PageRequest) -> PageResult[User]:
        async with self._uow.read_only():
            rows = await self._users.list(page)
        return PageResult.from_rows(rows, page, "created_at")

    async def get_user(self, user_id: uuid.UUID) -> User:
        async with self._uow.read_only():
            user = await self._users.get(user_id)
        if user is None:
            raise NotFound(USER_NOT_FOUND)
        return user

{%- if cookiecutter.include_graphql and cookiecutter.include_example_resource %}

    async def get_many(self, user_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, User]:
        """The accounts of these ids that exist, by id: one query for any number of ids."""
        async with self._uow.read_only():
            users = await self._users.get_many(user_ids)
        return {user.id: user for user in users}
{%- endif %}

    async def administer(self, actor: Account, user_id: uuid.UUID, data: AdminUserUpdate) -> User:
        """An administrator's change to any account, which never leaves the service adminless."""
        async with self._uow:
            user = await self._users.get(user_id)
            if user is None:
                raise NotFound(USER_NOT_FOUND)
            loses_admin = {% if cookiecutter.auth_provider == "local" %}data.is_admin is False or {% endif %}data.is_active is False
            if loses_admin and user.is_admin and user.is_active:
                await self._refuse_if_last_admin()
            if data.full_name is not None:
                user.full_name = data.full_name
{%- if cookiecutter.auth_provider == "local" %}
            if data.is_admin is not None:
                user.is_admin = data.is_admin
            if data.is_active is not None:
                user.is_active = data.is_active
                if not data.is_active:
                    await self._sessions.revoke_all_for_user(user.id, utcnow())
{%- else %}
            if data.is_active is not None:
                # Read on every request: a disabled account's next token is refused.
                user.is_active = data.is_active
{%- endif %}
            await self._users.add(user)
            await self._uow.commit()
        logger.info(
            "user_administered",
            actor_id=str(actor.id),
            user_id=str(user.id),
            is_admin=user.is_admin,
            is_active=user.is_active,
        )
        return user

    async def delete_user(self, actor: Account, user_id: uuid.UUID) -> None:
        async with self._uow:
            user = await self._users.get(user_id)
            if user is None:
                raise NotFound(USER_NOT_FOUND)
            if user.is_admin and user.is_active:
                await self._refuse_if_last_admin()
            await self._users.delete(user)
            await self._uow.commit()
        logger.info("user_deleted", actor_id=str(actor.id), user_id=str(user_id))
{%- if cookiecutter.auth_provider == "local" %}

    async def revoke_sessions(self, actor: Account, user_id: uuid.UUID) -> None:
        async with self._uow:
            if await self._users.get(user_id) is None:
                raise NotFound(USER_NOT_FOUND)
            await self._sessions.revoke_all_for_user(user_id, utcnow())
            await self._uow.commit()
        logger.info("sessions_revoked", actor_id=str(actor.id), user_id=str(user_id))
{%- endif %}

    async def _refuse_if_last_admin(self) -> None:
        if await self._users.count_active_admins() <= 1:
            raise Conflict(LAST_ADMIN)
