from __future__ import annotations

import pytest

from tests.auth.fakes import FakeSessionRepository
from tests.users.fakes import FakeUserRepository


@pytest.fixture
def users() -> FakeUserRepository:
    return FakeUserRepository()


@pytest.fixture
def sessions(users: FakeUserRepository) -> FakeSessionRepository:
    return FakeSessionRepository(users)
