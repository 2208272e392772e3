from __future__ import annotations

from datetime import timedelta

import pytest

from {{ cookiecutter.package_name }}.auth.passwords import PasswordHashing
from {{ cookiecutter.package_name }}.auth.signing_keys import build_keyset
from {{ cookiecutter.package_name }}.auth.tokens import AccessTokenCodec
from tests.unit.fakes import FakeSessionRepository, FakeUserRepository


@pytest.fixture(scope="session")
def passwords() -> PasswordHashing:
    # OWASP's floor parameters: real argon2id, fast enough for unit tests.
    return PasswordHashing(concurrency=2, time_cost=2, memory_cost_kib=19 * 1024, parallelism=1)


@pytest.fixture
def users() -> FakeUserRepository:
    return FakeUserRepository()


@pytest.fixture
def sessions(users: FakeUserRepository) -> FakeSessionRepository:
    return FakeSessionRepository(users)


@pytest.fixture
def codec() -> AccessTokenCodec:
    return AccessTokenCodec(
        keyset=build_keyset("EdDSA", [], "k" * 64),
        issuer="svc",
        audience="svc-api",
        ttl=timedelta(minutes=15),
    )
