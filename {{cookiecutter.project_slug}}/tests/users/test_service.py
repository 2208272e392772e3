from __future__ import annotations

import pytest

from {{ cookiecutter.package_name }}.auth.models import Account, AuthSession, User
from {{ cookiecutter.package_name }}.auth.passwords import PasswordHashing
from {{ cookiecutter.package_name }}.auth.schemas import UserCreate
from {{ cookiecutter.package_name }}.auth.service import RegistrationService
from {{ cookiecutter.package_name }}.core.db.base import utcnow
from {{ cookiecutter.package_name }}.core.errors import PermissionDenied
from {{ cookiecutter.package_name }}.core.pagination import PageRequest
from {{ cookiecutter.package_name }}.users.schemas import UserUpdate
from {{ cookiecutter.package_name }}.users.service import UserService
from tests.auth.fakes import FakeSessionRepository
from tests.fakes import FakeUnitOfWork
from tests.users.fakes import FakeUserRepository

PASSWORD = "correct horse battery staple"


@pytest.fixture
def service(
    users: FakeUserRepository, sessions: FakeSessionRepository, passwords: PasswordHashing
) -> UserService:
    return UserService(users=users, sessions=sessions, uow=FakeUnitOfWork(), passwords=passwords)


@pytest.fixture
def registration(users: FakeUserRepository, passwords: PasswordHashing) -> RegistrationService:
    # Accounts are opened by the auth feature; these tests start from accounts it opened.
    return RegistrationService(users=users, uow=FakeUnitOfWork(), passwords=passwords)


async def register(registration: RegistrationService, email: str = "ada@example.com") -> User:
    return await registration.register(UserCreate(email=email, password=PASSWORD))


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


async def test_list_users_pages(service: UserService, registration: RegistrationService) -> None:
    for index in range(3):
        await register(registration, f"u{index}@example.com")
    page = await service.list_users(PageRequest(limit=2))
    assert len(page.items) == 2
    assert page.next is not None
    rest = await service.list_users(PageRequest(limit=2, after=page.next))
    assert len(rest.items) == 1
    assert rest.next is None
    assert {user.email for user in page.items + rest.items} == {
        f"u{index}@example.com" for index in range(3)
    }
