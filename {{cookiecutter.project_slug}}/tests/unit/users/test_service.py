from __future__ import annotations

import pytest

from {{ cookiecutter.package_name }}.auth.models import AuthSession
from {{ cookiecutter.package_name }}.core.errors import Conflict, PermissionDenied
from {{ cookiecutter.package_name }}.core.db.base import utcnow
from {{ cookiecutter.package_name }}.core.pagination import PageRequest
from {{ cookiecutter.package_name }}.auth.passwords import PasswordHashing
from {{ cookiecutter.package_name }}.auth.models import Account
from {{ cookiecutter.package_name }}.users.schemas import UserCreate, UserUpdate
from {{ cookiecutter.package_name }}.users.service import UserService
from tests.unit.fakes import FakeSessionRepository, FakeUnitOfWork, FakeUserRepository

PASSWORD = "correct horse battery staple"


@pytest.fixture
def service(
    users: FakeUserRepository, sessions: FakeSessionRepository, passwords: PasswordHashing
) -> UserService:
    return UserService(users=users, sessions=sessions, uow=FakeUnitOfWork(), passwords=passwords)


async def test_register_lowercases_the_email_and_hashes_the_password(
    service: UserService,
) -> None:
    user = await service.register(UserCreate(email="Ada@Example.com", password=PASSWORD))
    assert user.email == "ada@example.com"
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


async def test_register_refuses_a_taken_email_in_any_case(service: UserService) -> None:
    await service.register(UserCreate(email="ada@example.com", password=PASSWORD))
    with pytest.raises(Conflict):
        await service.register(UserCreate(email="ADA@example.com", password=PASSWORD))


async def test_password_change_revokes_every_session(
    service: UserService, sessions: FakeSessionRepository
) -> None:
    user = await service.register(UserCreate(email="ada@example.com", password=PASSWORD))
    session = AuthSession(user_id=user.id, expires_at=utcnow())
    await sessions.add_session(session)
    await service.update_profile(
        Account.of(user),
        UserUpdate(password="another long passphrase", current_password=PASSWORD),
    )
    assert session.revoked_at is not None


async def test_password_change_without_the_current_password_is_refused(
    service: UserService,
) -> None:
    user = await service.register(UserCreate(email="ada@example.com", password=PASSWORD))
    with pytest.raises(PermissionDenied):
        await service.update_profile(
            Account.of(user), UserUpdate(password="another long passphrase")
        )


async def test_list_users_pages(service: UserService) -> None:
    for index in range(3):
        await service.register(UserCreate(email=f"u{index}@example.com", password=PASSWORD))
    page = await service.list_users(PageRequest(limit=2, offset=0))
    assert len(page.items) == 2
    assert page.has_more is True
