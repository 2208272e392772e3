from __future__ import annotations

from datetime import timedelta

import pytest

from {{ cookiecutter.package_name }}.auth.signing_keys import build_keyset
from {{ cookiecutter.package_name }}.auth.tokens import AccessTokenCodec
from tests.auth.fakes import FakeAccountRepository, FakeSessionRepository


@pytest.fixture
def users() -> FakeAccountRepository:
    return FakeAccountRepository()


@pytest.fixture
def sessions(users: FakeAccountRepository) -> FakeSessionRepository:
    return FakeSessionRepository(users)


@pytest.fixture
def codec() -> AccessTokenCodec:
    return AccessTokenCodec(
        keyset=build_keyset("EdDSA", [], "k" * 64),
        issuer="svc",
        audience="svc-api",
        ttl=timedelta(minutes=15),
    )
