from __future__ import annotations

import uuid

import pytest

from {{ cookiecutter.package_name }}.auth.models import Account, {% if cookiecutter.auth_provider == "local" %}AuthSession, {% endif %}User
{%- if cookiecutter.auth_provider == "local" %}
from {{ cookiecutter.package_name }}.auth.passwords import PasswordHashing
from {{ cookiecutter.package_name }}.auth.schemas import UserCreate
from {{ cookiecutter.package_name }}.auth.service import RegistrationService
from {{ cookiecutter.package_name }}.core.db.base import utcnow
{%- endif %}
from {{ cookiecutter.package_name }}.core.errors import Conflict, NotFound{% if cookiecutter.auth_provider == "local" %}, PermissionDenied{% endif %}
from {{ cookiecutter.package_name }}.core.pagination import PageRequest
from {{ cookiecutter.package_name }}.users.schemas import AdminUserUpdate, UserUpdate
from {{ cookiecutter.package_name }}.users.service import UserService
{%- if cookiecutter.auth_provider == "local" %}
from tests.auth.fakes import FakeSessionRepository
{%- endif %}
from tests.fakes import FakeUnitOfWork
from tests.users.fakes import FakeUserRepository
{%- if cookiecutter.auth_provider == "local" %}

PASSWORD = "correct horse battery staple"
{%- endif %}


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


@pytest.fixture
{%- if cookiecutter.auth_provider == "local" %}
def service(
    users: FakeUserRepository,
    sessions: FakeSessionRepository,
    uow: FakeUnitOfWork,
    passwords: PasswordHashing,
) -> UserService:
    return UserService(users=users, sessions=sessions, uow=uow, passwords=passwords)


@pytest.fixture
def registration(users: FakeUserRepository, passwords: PasswordHashing) -> RegistrationService:
    # Accounts are opened by the auth feature; these tests start from accounts it opened.
    return RegistrationService(users=users, uow=FakeUnitOfWork(), passwords=passwords)


async def register(registration: RegistrationService, email: str = "ada@example.com") -> User:
    return await registration.register(UserCreate(email=email, password=PASSWORD))
{%- else %}
def service(users: FakeUserRepository, uow: FakeUnitOfWork) -> UserService:
    return UserService(users=users, uow=uow)
{%- endif %}


async def open_account(users: FakeUserRepository, email: str, *, is_admin: bool = False) -> User:
    """An account as {% if cookiecutter.auth_provider == "local" %}registration{% else %}provisioning{% endif %} leaves it: the service under test only administers it."""
{%- if cookiecutter.auth_provider == "local" %}
    user = User(email=email, full_name="", password_hash="not used here", is_admin=is_admin)
{%- else %}
    user = User(email=email, full_name="", is_admin=is_admin)
{%- endif %}
    await users.add(user)
    return user
{%- if cookiecutter.auth_provider == "local" %}


async def test_password_change_revokes_every_session(
    service: UserService, registration: RegistrationService, sessions: FakeSessionRepository
) -> None:
    user = await register(registration)
    session = AuthSession(user_id=user.id, expires_at=utcnow())
    await sessions.add_session(session)
    await service.update_profile(
        Account.of(user),
        UserUpdate(password="another long passphrase", current_password=PASSWORD),
    )
    assert session.revoked_at is not None


async def test_password_change_without_the_current_password_is_refused(
    service: UserService, registration: RegistrationService
) -> None:
    user = await register(registration)
    with pytest.raises(PermissionDenied):
        await service.update_profile(
            Account.of(user), UserUpdate(password="another long passphrase")
        )


async def test_deactivating_an_account_revokes_its_sessions(
    service: UserService, users: FakeUserRepository, sessions: FakeSessionRepository
) -> None:
    admin = await open_account(users, "admin@example.com", is_admin=True)
    user = await open_account(users, "ada@example.com")
    session = AuthSession(user_id=user.id, expires_at=utcnow())
    await sessions.add_session(session)
    await service.administer(Account.of(admin), user.id, AdminUserUpdate(is_active=False))
    assert session.revoked_at is not None


async def test_the_last_administrator_cannot_be_demoted(
    service: UserService, users: FakeUserRepository
) -> None:
    admin = await open_account(users, "admin@example.com", is_admin=True)
    with pytest.raises(Conflict):
        await service.administer(Account.of(admin), admin.id, AdminUserUpdate(is_admin=False))
    assert admin.is_admin
{%- endif %}


async def test_a_profile_update_changes_only_what_it_names(
    service: UserService, users: FakeUserRepository, uow: FakeUnitOfWork
) -> None:
    user = await open_account(users, "ada@example.com")
    updated = await service.update_profile(Account.of(user), UserUpdate(full_name="Ada Lovelace"))
    assert updated.full_name == "Ada Lovelace"
    assert updated.email == "ada@example.com"
    assert uow.commits == 1
    await service.update_profile(Account.of(user), UserUpdate())
    assert users.rows[user.id].full_name == "Ada Lovelace"


async def test_a_profile_update_of_a_deleted_account_is_not_found(
    service: UserService, users: FakeUserRepository, uow: FakeUnitOfWork
) -> None:
    user = await open_account(users, "ada@example.com")
    await users.delete(user)
    with pytest.raises(NotFound):
        await service.update_profile(Account.of(user), UserUpdate(full_name="Ada"))
    assert uow.commits == 0


async def test_an_unknown_account_is_not_found(service: UserService) -> None:
    with pytest.raises(NotFound):
        await service.get_user(uuid.uuid4())


async def test_list_users_pages(service: UserService, users: FakeUserRepository) -> None:
    for index in range(3):
        await open_account(users, f"u{index}@example.com")
    page = await service.list_users(PageRequest(limit=2))
    assert len(page.items) == 2
    assert page.next is not None
    rest = await service.list_users(PageRequest(limit=2, after=page.next))
    assert len(rest.items) == 1
    assert rest.next is None
    assert {user.email for user in page.items + rest.items} == {
        f"u{index}@example.com" for index in range(3)
    }


async def test_the_last_active_administrator_cannot_be_deactivated(
    service: UserService, users: FakeUserRepository, uow: FakeUnitOfWork
) -> None:
    admin = await open_account(users, "admin@example.com", is_admin=True)
    with pytest.raises(Conflict):
        await service.administer(Account.of(admin), admin.id, AdminUserUpdate(is_active=False))
    assert admin.is_active
    assert uow.commits == 0


async def test_an_administrator_is_deactivated_while_another_remains(
    service: UserService, users: FakeUserRepository
) -> None:
    admin = await open_account(users, "admin@example.com", is_admin=True)
    other = await open_account(users, "other@example.com", is_admin=True)
    changed = await service.administer(
        Account.of(admin), other.id, AdminUserUpdate(is_active=False, full_name="Gone")
    )
    assert (changed.is_active, changed.full_name) == (False, "Gone")
    assert await users.count_active_admins() == 1


async def test_the_last_active_administrator_cannot_be_deleted(
    service: UserService, users: FakeUserRepository
) -> None:
    admin = await open_account(users, "admin@example.com", is_admin=True)
    with pytest.raises(Conflict):
        await service.delete_user(Account.of(admin), admin.id)
    assert admin.id in users.rows


async def test_deleting_an_account(service: UserService, users: FakeUserRepository) -> None:
    admin = await open_account(users, "admin@example.com", is_admin=True)
    user = await open_account(users, "ada@example.com")
    await service.delete_user(Account.of(admin), user.id)
    assert user.id not in users.rows
    with pytest.raises(NotFound):
        await service.delete_user(Account.of(admin), user.id)
