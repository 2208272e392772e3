"""AuthService.login and the throttle: checked before any hash, counted after, reset on success."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

import pytest

from {{ cookiecutter.package_name }}.auth.passwords import PasswordHashing
from {{ cookiecutter.package_name }}.auth.schemas import UserCreate
from {{ cookiecutter.package_name }}.auth.service import (
    INVALID_CREDENTIALS,
    AuthService,
    RegistrationService,
    SessionPolicy,
)
from {{ cookiecutter.package_name }}.auth.throttle import InMemoryAttemptStore, LoginThrottle
from {{ cookiecutter.package_name }}.auth.tokens import AccessTokenCodec
from {{ cookiecutter.package_name }}.core.errors import Throttled, Unauthorized
from {{ cookiecutter.package_name }}.core.observability.logging import configure_logging
from tests.auth.fakes import FakeAccountRepository, FakeSessionRepository
from tests.clocks import FakeClock
from tests.conftest import make_settings
from tests.fakes import FakeUnitOfWork

PASSWORD = "correct horse battery staple"
WRONG = "not the right passphrase"
EMAIL = "ada@example.com"
CLIENT = "198.51.100.7"


class CountingPasswordHashing(PasswordHashing):
    """Real argon2id that counts verifications, to prove which logins cost a hash."""

    def __init__(self) -> None:
        super().__init__(concurrency=2, time_cost=2, memory_cost_kib=19 * 1024, parallelism=1)
        self.verifications = 0

    async def verify(self, password_hash: str | None, password: str) -> bool:
        self.verifications += 1
        return await super().verify(password_hash, password)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def hashing() -> CountingPasswordHashing:
    return CountingPasswordHashing()


@pytest.fixture
async def service(
    hashing: CountingPasswordHashing, clock: FakeClock, codec: AccessTokenCodec
) -> AuthService:
    users = FakeAccountRepository()
    sessions = FakeSessionRepository(users)
    registration = RegistrationService(users=users, uow=FakeUnitOfWork(), passwords=hashing)
    await registration.register(UserCreate(email=EMAIL, password=PASSWORD))
    return AuthService(
        users=users,
        sessions=sessions,
        uow=FakeUnitOfWork(),
        passwords=hashing,
        access_tokens=codec,
        policy=SessionPolicy(refresh_ttl=timedelta(days=7), max_lifetime=timedelta(days=30)),
        throttle=LoginThrottle(InMemoryAttemptStore(clock=clock)),
    )


async def fail_logins(service: AuthService, times: int, email: str = EMAIL) -> None:
    for _ in range(times):
        with pytest.raises(Unauthorized) as refused:
            await service.login(email, WRONG, client_host=CLIENT)
        assert refused.value.detail == INVALID_CREDENTIALS


async def test_a_locked_login_is_refused_before_any_hash_is_verified(
    service: AuthService, hashing: CountingPasswordHashing
) -> None:
    await fail_logins(service, 5)
    assert hashing.verifications == 5
    for password in (WRONG, PASSWORD):
        with pytest.raises(Throttled) as throttled:
            await service.login(EMAIL, password, client_host=CLIENT)
        assert throttled.value.retry_after == 60
        assert throttled.value.headers == {"Retry-After": "60"}
    assert hashing.verifications == 5


async def test_parallel_logins_get_no_more_password_checks_than_the_limit(
    service: AuthService, hashing: CountingPasswordHashing
) -> None:
    outcomes = await asyncio.gather(
        *(service.login(EMAIL, WRONG, client_host=CLIENT) for _ in range(20)),
        return_exceptions=True,
    )
    assert hashing.verifications == 5
    assert sum(isinstance(outcome, Unauthorized) for outcome in outcomes) == 5
    assert sum(isinstance(outcome, Throttled) for outcome in outcomes) == 15


async def test_a_success_counts_nothing_against_the_address(service: AuthService) -> None:
    await fail_logins(service, 4, email="nobody@example.com")
    await service.login(EMAIL, PASSWORD, client_host=CLIENT)
    # The address has four failures, not five: one more is checked, and that one locks it.
    await fail_logins(service, 1, email="someone@example.com")
    with pytest.raises(Throttled):
        await service.login(EMAIL, PASSWORD, client_host=CLIENT)


async def test_the_email_is_normalised_before_it_is_counted(service: AuthService) -> None:
    await fail_logins(service, 5, email=" ADA@Example.com ")
    with pytest.raises(Throttled):
        await service.login(EMAIL, PASSWORD, client_host="203.0.113.1")


async def test_the_lock_lifts_after_retry_after_and_doubles_on_the_next_failure(
    service: AuthService, clock: FakeClock
) -> None:
    await fail_logins(service, 5)
    clock.advance(60)
    await fail_logins(service, 1)
    with pytest.raises(Throttled) as throttled:
        await service.login(EMAIL, PASSWORD, client_host=CLIENT)
    assert throttled.value.retry_after == 120


async def test_a_success_resets_the_account_count(service: AuthService) -> None:
    await fail_logins(service, 4)
    await service.login(EMAIL, PASSWORD, client_host="203.0.113.1")
    # Four more from another address: the account starts from zero, so none is throttled.
    for _ in range(4):
        with pytest.raises(Unauthorized):
            await service.login(EMAIL, WRONG, client_host="203.0.113.2")
    pair = await service.login(EMAIL, PASSWORD, client_host="203.0.113.3")
    assert pair.access_token


async def test_throttling_is_logged_as_an_event_without_the_password(
    service: AuthService, caplog: pytest.LogCaptureFixture
) -> None:
    # The service's own pipeline, as the app installs it: events reach `logging` as dicts.
    # It replaces the root handlers, so pytest's capturing handler is put back.
    configure_logging(make_settings("sqlite+aiosqlite://"))
    logging.getLogger().addHandler(caplog.handler)
    await fail_logins(service, 5)
    with pytest.raises(Throttled):
        await service.login(EMAIL, PASSWORD, client_host=CLIENT)
    events = [record.msg for record in caplog.records if isinstance(record.msg, dict)]
    throttled = [event for event in events if event["event"] == "login_throttled"]
    assert throttled == [
        {
            **throttled[0],
            "scopes": ["account", "client"],
            "retry_after": 60,
            "client_ip": CLIENT,
        }
    ]
    failed = [event for event in events if event["event"] == "login_failed"]
    assert [event["failures"] for event in failed] == [1, 2, 3, 4, 5]
    assert PASSWORD not in caplog.text
    assert WRONG not in caplog.text
