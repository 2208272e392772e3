from __future__ import annotations

from datetime import timedelta

import pytest

from {{ cookiecutter.package_name }}.auth.passwords import PasswordHashing
from {{ cookiecutter.package_name }}.auth.schemas import UserCreate
from {{ cookiecutter.package_name }}.auth.service import (
    Authenticator,
    AuthService,
    RegistrationService,
    SessionPolicy,
)
from {{ cookiecutter.package_name }}.auth.throttle import InMemoryAttemptStore, LoginThrottle
from {{ cookiecutter.package_name }}.auth.tokens import AccessTokenCodec, hash_refresh_token
from {{ cookiecutter.package_name }}.core.db.base import utcnow
from {{ cookiecutter.package_name }}.core.errors import Unauthorized
from tests.auth.fakes import FakeAccountRepository, FakeActiveAccountReader, FakeSessionRepository
from tests.fakes import FakeUnitOfWork

PASSWORD = "correct horse battery staple"
EMAIL = "ada@example.com"


@pytest.fixture
async def service(
    users: FakeAccountRepository,
    sessions: FakeSessionRepository,
    passwords: PasswordHashing,
    codec: AccessTokenCodec,
) -> AuthService:
    registration = RegistrationService(users=users, uow=FakeUnitOfWork(), passwords=passwords)
    await registration.register(UserCreate(email=EMAIL, password=PASSWORD))
    return AuthService(
        users=users,
        sessions=sessions,
        uow=FakeUnitOfWork(),
        passwords=passwords,
        access_tokens=codec,
        policy=SessionPolicy(refresh_ttl=timedelta(days=7), max_lifetime=timedelta(days=30)),
        throttle=LoginThrottle(InMemoryAttemptStore()),
    )


@pytest.fixture
def authenticator(sessions: FakeSessionRepository, codec: AccessTokenCodec) -> Authenticator:
    return Authenticator(access_tokens=codec, accounts=FakeActiveAccountReader(sessions))


async def test_login_then_authenticate(service: AuthService, authenticator: Authenticator) -> None:
    pair = await service.login(" ADA@example.com ", PASSWORD)
    principal = await authenticator.authenticate(pair.access_token)
    assert principal.user.email == EMAIL


async def test_a_logged_out_or_forged_token_does_not_authenticate(
    service: AuthService, authenticator: Authenticator
) -> None:
    pair = await service.login(EMAIL, PASSWORD)
    principal = await authenticator.authenticate(pair.access_token)
    with pytest.raises(Unauthorized):
        await authenticator.authenticate(pair.access_token + "x")
    await service.logout(principal)
    # The signature still verifies (and is remembered): the session check refuses it.
    with pytest.raises(Unauthorized):
        await authenticator.authenticate(pair.access_token)


async def test_login_rehashes_a_hash_made_with_weaker_parameters(
    service: AuthService, users: FakeAccountRepository
) -> None:
    weak = PasswordHashing(concurrency=1, time_cost=1, memory_cost_kib=8 * 1024, parallelism=1)
    user = await users.get_by_email(EMAIL)
    assert user is not None
    user.password_hash = await weak.hash(PASSWORD)
    await service.login(EMAIL, PASSWORD)
    assert "m=19456,t=2,p=1" in user.password_hash


async def test_refresh_token_slides_seven_days(
    service: AuthService, sessions: FakeSessionRepository
) -> None:
    before = utcnow()
    await service.login(EMAIL, PASSWORD)
    token = next(iter(sessions.tokens.values()))
    assert before + timedelta(days=7) <= token.expires_at <= utcnow() + timedelta(days=7)


async def test_a_refreshed_token_never_outlives_its_session(
    service: AuthService, sessions: FakeSessionRepository
) -> None:
    pair = await service.login(EMAIL, PASSWORD)
    session = next(iter(sessions.sessions.values()))
    session.expires_at = utcnow() + timedelta(hours=1)
    rotated = await service.refresh(pair.refresh_token)
    newest = sessions.tokens[hash_refresh_token(rotated.refresh_token)]
    assert newest.expires_at == session.expires_at


async def test_refresh_for_a_disabled_account_is_refused(
    service: AuthService, users: FakeAccountRepository
) -> None:
    pair = await service.login(EMAIL, PASSWORD)
    user = await users.get_by_email(EMAIL)
    assert user is not None
    user.is_active = False
    with pytest.raises(Unauthorized):
        await service.refresh(pair.refresh_token)


async def test_an_unknown_refresh_token_is_refused(service: AuthService) -> None:
    with pytest.raises(Unauthorized):
        await service.refresh("never-issued")


async def test_an_expired_session_refuses_refresh(
    service: AuthService, sessions: FakeSessionRepository
) -> None:
    pair = await service.login(EMAIL, PASSWORD)
    session = next(iter(sessions.sessions.values()))
    session.expires_at = session.expires_at - timedelta(days=31)
    with pytest.raises(Unauthorized):
        await service.refresh(pair.refresh_token)
