from __future__ import annotations

import pytest
{% if cookiecutter.auth_provider == "local" %}
from tests.auth.fakes import FakeSessionRepository
{%- endif %}
from tests.users.fakes import FakeUserRepository


@pytest.fixture
def users() -> FakeUserRepository:
    return FakeUserRepository()
{%- if cookiecutter.auth_provider == "local" %}


@pytest.fixture
def sessions(users: FakeUserRepository) -> FakeSessionRepository:
    return FakeSessionRepository(users)
{%- endif %}
