"""RegistrationService: the email is stored lower-case, the password only as an argon2id hash."""

from __future__ import annotations

import pytest

from {{ cookiecutter.package_name }}.auth.passwords import PasswordHashing
from {{ cookiecutter.package_name }}.auth.schemas import UserCreate
from {{ cookiecutter.package_name }}.auth.service import RegistrationService
from {{ cookiecutter.package_name }}.core.errors import Conflict
from tests.auth.fakes import FakeAccountRepository
from tests.fakes import FakeUnitOfWork

PASSWORD = "correct horse battery staple"


@pytest.fixture
def service(users: FakeAccountRepository, passwords: PasswordHashing) -> RegistrationService:
    return RegistrationService(users=users, uow=FakeUnitOfWork(), passwords=passwords)


async def test_register_lowercases_the_email_and_hashes_the_password(
    service: RegistrationService,
) -> None:
    user = await service.register(UserCreate(email="Ada@Example.com", password=PASSWORD))
    assert user.email == "ada@example.com"
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


async def test_register_refuses_a_taken_email_in_any_case(service: RegistrationService) -> None:
    await service.register(UserCreate(email="ada@example.com", password=PASSWORD))
    with pytest.raises(Conflict):
        await service.register(UserCreate(email="ADA@example.com", password=PASSWORD))
